using Tempo.Runtime.Metrics;
using Tempo.Runtime.Metrics.TensorBoard;

namespace Tempo.Cli.Training;

/// <summary>The metrics every run writes: <c>metrics.csv</c> and TensorBoard events in its folder, plus the progress display.</summary>
internal static class RunMetrics
{
    /// <summary>Opens the sinks; a resumed run appends to its <c>metrics.csv</c> instead of starting it anew.</summary>
    public static CompositeMetricsSink Open(string runDir, bool resumed, TimeProvider time, IMetricsSink progress) => new(
        CsvMetricsSink.Open(Path.Combine(runDir, "metrics.csv"), resumed ? FileMode.Append : FileMode.Create),
        TensorBoardMetricsSink.Create(runDir, time),
        progress);
}
