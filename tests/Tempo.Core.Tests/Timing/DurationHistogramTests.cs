using Tempo.Core.Timing;

namespace Tempo.Core.Tests.Timing;

public sealed class DurationHistogramTests
{
    public static TheoryData<long> Values => new()
    {
        0, 1, 63, 64, 127, 128, 129, 191, 192, 255, 256, 257, 1000, 4095, 4096, 200_000, 199_999,
        TimeSpan.TicksPerSecond, 123_456_789, 1L << 40, (1L << 40) - 1, long.MaxValue / 3, long.MaxValue - 1, long.MaxValue,
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void IndexOf_PutsTheValueBetweenItsBucketsBounds(long value)
    {
        var index = DurationHistogram.IndexOf(value);

        Assert.InRange(DurationHistogram.LowerBound(index), 0, value);
        if (value < long.MaxValue - (long.MaxValue >> 7))
        {
            Assert.True(DurationHistogram.LowerBound(index + 1) > value);
        }
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void Midpoint_IsWithinOneHundredTwentyEighthOfTheValue(long value)
    {
        var midpoint = DurationHistogram.Midpoint(DurationHistogram.IndexOf(value));

        Assert.True(Math.Abs((double)midpoint - value) <= (value / 128.0) + 0.5, $"midpoint {midpoint} for {value}");
    }

    [Fact]
    public void IndexOf_SmallValues_HaveABucketEach()
    {
        for (long value = 0; value < 128; value++)
        {
            Assert.Equal(value, DurationHistogram.IndexOf(value));
            Assert.Equal(value, DurationHistogram.Midpoint((int)value));
        }
    }

    [Fact]
    public void IndexOf_IsMonotonicAndLongMaxValueIsTheLastBucket()
    {
        var previous = -1;
        for (var value = 1L; value > 0 && value < long.MaxValue / 2; value = (value * 17 / 16) + 1)
        {
            var index = DurationHistogram.IndexOf(value);
            Assert.True(index >= previous);
            previous = index;
        }

        Assert.Equal(3711, DurationHistogram.IndexOf(long.MaxValue));
    }

    [Fact]
    public void Percentile_UsesTheNearestRank()
    {
        var histogram = new DurationHistogram();
        foreach (var value in new long[] { 5, 1, 3, 2, 4 })
        {
            histogram.Add(value);
        }

        Assert.Equal(3, histogram.Percentile(0.5, 5));
        Assert.Equal(5, histogram.Percentile(0.99, 5));
        Assert.Equal(1, histogram.Percentile(0.0, 5));
    }
}
