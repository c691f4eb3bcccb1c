using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Metrics.TensorBoard;

namespace Tempo.Runtime.Runs;

/// <summary>What every run writes in its folder: <c>config.json</c>, <c>metrics.csv</c>, TensorBoard events and the checkpoint.</summary>
internal static class RunFolder
{
    /// <summary>The config's file name inside a run folder.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>Creates the folder and writes <paramref name="config"/> as <c>config.json</c>; called once everything that could refuse the run has passed.</summary>
    public static void Prepare(string runDirectory, string config)
    {
        Directory.CreateDirectory(runDirectory);
        File.WriteAllText(Path.Combine(runDirectory, ConfigFileName), config);
    }

    /// <summary>Where the run's checkpoint lives.</summary>
    public static string CheckpointPath(string runDirectory) => Path.Combine(runDirectory, CheckpointFile.FileName);

    /// <summary>Opens the metrics sinks; a resumed run appends to its <c>metrics.csv</c> instead of starting it anew.</summary>
    public static CompositeMetricsSink OpenMetrics(string runDirectory, bool resumed, TimeProvider time, IMetricsSink? progress) => new(
        [
            CsvMetricsSink.Open(Path.Combine(runDirectory, "metrics.csv"), resumed ? FileMode.Append : FileMode.Create),
            TensorBoardMetricsSink.Create(runDirectory, time),
            .. progress is null ? Array.Empty<IMetricsSink>() : [progress],
        ]);
}
