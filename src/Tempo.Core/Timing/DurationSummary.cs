namespace Tempo.Core.Timing;

/// <summary>Count, mean, median, 99th percentile and maximum of a set of recorded durations; all zero when none were recorded.</summary>
/// <param name="Count">How many durations were recorded.</param>
/// <param name="Mean">Their arithmetic mean.</param>
/// <param name="P50">Their median.</param>
/// <param name="P99">Their 99th percentile.</param>
/// <param name="Max">The largest one.</param>
public readonly record struct DurationSummary(long Count, TimeSpan Mean, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    /// <summary>Describes the summary in milliseconds, e.g. <c>n=120 mean=20.01 p50=20.00 p99=21.30 max=23.90 ms</c>.</summary>
    public override string ToString() =>
        FormattableString.Invariant(
            $"n={Count} mean={Mean.TotalMilliseconds:F2} p50={P50.TotalMilliseconds:F2} p99={P99.TotalMilliseconds:F2} max={Max.TotalMilliseconds:F2} ms");
}
