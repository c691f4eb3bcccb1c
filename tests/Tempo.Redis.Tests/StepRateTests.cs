using Tempo.Redis.Status;

namespace Tempo.Redis.Tests;

/// <summary>The published steps/s reads a bursty count as its average.</summary>
public sealed class StepRateTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;
    }

    [Fact]
    public void SegmentBurstsReadAsTheirAverageRate()
    {
        // 100 steps/s arriving as 32-step segments (every 0.32 s), sampled every second with up to 0.3 s of jitter, as a
        // loaded learner's heartbeat is: a per-interval rate swings between 0 and 128; the windowed one stays within one
        // segment per window (32 / 10 s = 3.2 steps/s) plus the jitter's share of the window (0.3 / 10 of 100).
        var clock = new ManualClock();
        var rate = new StepRate(TimeSpan.FromSeconds(10));
        var random = new Random(5);
        double last = 0;
        for (var beat = 0; beat < 60; beat++)
        {
            var now = (beat * 1.0) + (random.NextDouble() * 0.3);
            clock.Ticks = (long)(now * TimeSpan.TicksPerSecond);
            var steps = 32 * (long)Math.Floor(now / 0.32);
            last = rate.Add(clock.GetTimestamp(), steps, clock);
            if (beat >= 10)
            {
                Assert.InRange(last, 100 - 3.2 - 3, 100 + 3.2 + 3);
            }
        }

        Assert.True(last > 0);
    }

    [Fact]
    public void OneSampleIsNoRate() =>
        Assert.Equal(0, new StepRate(TimeSpan.FromSeconds(10)).Add(5, 100, new ManualClock()));
}
