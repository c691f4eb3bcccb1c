using System.Numerics;

namespace Tempo.Core.Timing;

/// <summary>A fixed log-linear histogram of non-negative durations in <see cref="TimeSpan"/> ticks (100 ns), for percentiles over a whole run.</summary>
/// <remarks>
/// HDR-histogram style: values below 128 ticks (12.8 µs) have a bucket each; above, every power of two is split into
/// 64 equal buckets, so a bucket is at most 1/64 of its lower bound wide and the midpoint it reports is within
/// 0.8 % of any value in it. 3712 buckets cover the whole range of <see cref="long"/>; recording is one increment.
/// </remarks>
internal sealed class DurationHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int LinearLimit = 2 * SubBucketCount;
    private const int BucketCount = LinearLimit + ((63 - SubBucketBits - 1) * SubBucketCount);

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Counts one value.</summary>
    public void Add(long value)
    {
        System.Diagnostics.Debug.Assert(value >= 0, "Durations are non-negative.");
        _counts[IndexOf(value)]++;
    }

    /// <summary>Forgets every value.</summary>
    public void Clear() => Array.Clear(_counts);

    /// <summary>The midpoint of the bucket holding the value of rank ⌈p·count⌉ (nearest rank), for <paramref name="count"/> values added.</summary>
    public long Percentile(double p, long count)
    {
        System.Diagnostics.Debug.Assert(count > 0, "Percentiles need values.");
        var rank = Math.Max(1, (long)Math.Ceiling(p * count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Midpoint(i);
            }
        }

        return Midpoint(_counts.Length - 1);
    }

    /// <summary>The bucket of <paramref name="value"/>.</summary>
    internal static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        // value >> shift lies in [64, 128): the top seven bits pick the sub-bucket within the value's power of two.
        var shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - SubBucketBits;
        var mantissa = (int)(value >> shift);
        return LinearLimit + ((shift - 1) * SubBucketCount) + (mantissa - SubBucketCount);
    }

    /// <summary>The smallest value in bucket <paramref name="index"/>.</summary>
    internal static long LowerBound(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var shift = ((index - LinearLimit) / SubBucketCount) + 1;
        var mantissa = ((index - LinearLimit) % SubBucketCount) + SubBucketCount;
        return (long)mantissa << shift;
    }

    /// <summary>The middle of bucket <paramref name="index"/>: its only value below 128, else lower bound plus half its width.</summary>
    internal static long Midpoint(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var shift = ((index - LinearLimit) / SubBucketCount) + 1;
        return LowerBound(index) + ((1L << shift) >> 1);
    }
}
