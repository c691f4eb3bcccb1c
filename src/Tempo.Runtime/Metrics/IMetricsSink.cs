namespace Tempo.Runtime.Metrics;

/// <summary>A destination for the measurements of a training run (CSV file, TensorBoard, console).</summary>
/// <remarks>
/// A sink is fed from one thread: the training loop that builds the reports. Sinks are not thread-safe.
/// <see cref="Write(TrainingReport)"/> makes everything written so far durable against a crash of the process
/// (flushed to the operating system) before it returns; <see cref="WriteEpisode"/> may buffer until the next report.
/// Disposing flushes and closes the sink; writing to a disposed sink throws <see cref="ObjectDisposedException"/>.
/// </remarks>
public interface IMetricsSink : IDisposable
{
    /// <summary>Records one periodic report.</summary>
    void Write(TrainingReport report);

    /// <summary>Records one finished episode at the moment it finished.</summary>
    void WriteEpisode(EpisodeReport episode);
}
