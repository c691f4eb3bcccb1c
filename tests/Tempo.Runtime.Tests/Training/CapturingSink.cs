using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Tests.Training;

/// <summary>Keeps every report (a copy: the monitor reuses its report) and episode it is given.</summary>
internal sealed class CapturingSink : IMetricsSink
{
    public List<TrainingReport> Reports { get; } = [];

    public List<EpisodeReport> Episodes { get; } = [];

    public void Write(TrainingReport report) => Reports.Add(report.Copy());

    public void WriteEpisode(EpisodeReport episode) => Episodes.Add(episode);

    public void Dispose()
    {
    }
}
