using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Tests.Metrics;

/// <summary>A sink that logs every call into a shared list, and can be told to fail.</summary>
internal sealed class RecordingSink(string name, List<string> log, Exception? failure = null) : IMetricsSink
{
    public void Write(TrainingReport report)
    {
        log.Add($"{name}.Write({report.GlobalStep})");
        ThrowIfFailing();
    }

    public void WriteEpisode(EpisodeReport episode)
    {
        log.Add($"{name}.WriteEpisode({episode.GlobalStep})");
        ThrowIfFailing();
    }

    public void Dispose()
    {
        log.Add($"{name}.Dispose");
        ThrowIfFailing();
    }

    private void ThrowIfFailing()
    {
        if (failure is not null)
        {
            throw failure;
        }
    }
}
