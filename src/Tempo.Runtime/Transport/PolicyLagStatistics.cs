namespace Tempo.Runtime.Transport;

/// <summary>A snapshot of a policy-lag filter: what it let through, what it dropped, and how stale the accepted data was.</summary>
/// <param name="Accepted">Segments accepted since the filter was created.</param>
/// <param name="DroppedStale">Segments dropped because their lag exceeded the maximum.</param>
/// <param name="DroppedAhead">Segments dropped because their behaviour version was newer than the learner's.</param>
/// <param name="MeanLag">Mean lag of the last <paramref name="WindowCount"/> accepted segments (0 when there are none).</param>
/// <param name="MaxLag">Largest lag among the last <paramref name="WindowCount"/> accepted segments (0 when there are none).</param>
/// <param name="WindowCount">Accepted segments the mean and maximum cover: the window size once it has filled.</param>
public readonly record struct PolicyLagStatistics(long Accepted, long DroppedStale, long DroppedAhead, double MeanLag, long MaxLag, int WindowCount)
{
    /// <summary>All segments dropped, for any reason.</summary>
    public long Dropped => DroppedStale + DroppedAhead;
}
