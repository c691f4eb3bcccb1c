using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Metrics.TensorBoard;

namespace Tempo.Cli.Training;

/// <summary>What every run writes in its folder: <c>config.json</c>, <c>metrics.csv</c>, TensorBoard events and the checkpoint.</summary>
internal static class RunFolder
{
    /// <summary>Creates the folder and writes the run's settings as <c>config.json</c>; returns that config, which checkpoints carry too.</summary>
    public static string Prepare(TrainSettings settings)
    {
        Directory.CreateDirectory(settings.RunDir);
        var config = TrainConfigFile.Serialize(settings);
        File.WriteAllText(Path.Combine(settings.RunDir, "config.json"), config);
        return config;
    }

    /// <summary>Where the run's checkpoint lives.</summary>
    public static string CheckpointPath(string runDir) => Path.Combine(runDir, CheckpointFile.FileName);

    /// <summary>Opens the metrics sinks; a resumed run appends to its <c>metrics.csv</c> instead of starting it anew.</summary>
    public static CompositeMetricsSink OpenMetrics(string runDir, bool resumed, TimeProvider time, IMetricsSink progress) => new(
        CsvMetricsSink.Open(Path.Combine(runDir, "metrics.csv"), resumed ? FileMode.Append : FileMode.Create),
        TensorBoardMetricsSink.Create(runDir, time),
        progress);
}
