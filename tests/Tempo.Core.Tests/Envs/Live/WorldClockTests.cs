using Tempo.Core.Envs.Live;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Tests.Timing;

namespace Tempo.Core.Tests.Envs.Live;

/// <summary>The world clock on its own, on a manual clock whose waiter jumps to each deadline: tick times are exact.</summary>
[Collection(WallClockTests.Name)]
public sealed class WorldClockTests
{
    private static TimeSpan Period => TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private readonly ManualTimeProvider _time = new();
    private readonly List<long> _ticks = [];

    [Fact]
    public void Start_TicksEveryPeriodOnTheDeadlinesAndFreezesWhenTheWorldEnds()
    {
        using var clock = Create(endAfter: 5);

        clock.Start();
        Eventually.True(() => !clock.IsRunning, "the world ends");

        Assert.Equal(5, clock.TickCount);
        Assert.False(clock.IsRunning);
        Assert.Equal([1, 2, 3, 4, 5], Ticks().Select(t => t / Period.Ticks));
        Assert.Equal(0, clock.LateTickCount);
    }

    [Fact]
    public void Start_AfterAFreeze_RestartsTheScheduleFromNow()
    {
        using var clock = Create(endAfter: 2);
        clock.Start();
        Eventually.True(() => !clock.IsRunning, "the world ends");

        // Once the tick thread waits for the frozen clock to run again (the manual waiter never blocks).
        Eventually.True(() => (clock.Thread!.ThreadState & ThreadState.WaitSleepJoin) != 0, "the tick thread waits");
        lock (_gate)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            _endAfter = 4;
            clock.Start();
        }

        Eventually.True(() => !clock.IsRunning, "the world ends again");

        var restart = (2 * Period) + TimeSpan.FromSeconds(10);
        Assert.Equal([restart + Period, restart + (2 * Period)], Ticks().Skip(2).Select(TimeSpan.FromTicks));
    }

    [Fact]
    public void Pause_NoTickRunsUntilResumeWhichReportsThePausedTime()
    {
        using var clock = Create(endAfter: 1_000_000);
        long pausedAt;
        lock (_gate)
        {
            clock.Start();
            clock.Pause();
            pausedAt = clock.TickCount;
        }

        Thread.Sleep(50);
        Assert.Equal(pausedAt, clock.TickCount);
        Assert.True(clock.IsPaused);

        long pausedFor;
        lock (_gate)
        {
            _time.Advance(TimeSpan.FromSeconds(3));
            pausedFor = clock.Resume();
            _endAfter = (int)clock.TickCount + 3;
        }

        Eventually.True(() => !clock.IsRunning, "the world ends after the pause");
        Assert.True(pausedFor >= TimeSpan.FromSeconds(3).Ticks, $"paused for {pausedFor}");
        Assert.Throws<InvalidOperationException>(() => clock.Resume());
    }

    [Fact]
    public void Tick_AWholePeriodLate_CountsALateTickAndSlowsDownInsteadOfBursting()
    {
        // The third tick takes 2.5 periods of (fake) time: the fourth tick runs at once, 1.5 periods late, and the schedule restarts from it.
        using var clock = Create(endAfter: 6, slowTick: 3);

        clock.Start();
        Eventually.True(() => !clock.IsRunning, "the world ends");

        Assert.Equal(1, clock.LateTickCount);
        var ticks = Ticks().Select(t => (double)t / Period.Ticks).ToArray();
        Assert.Equal([1, 2, 3, 5.5, 6.5, 7.5], ticks);
    }

    [Fact]
    public async Task Dispose_JoinsTheTickThreadAndWakesWaiters()
    {
        var clock = Create(endAfter: 1_000_000);
        clock.Start();
        lock (_gate)
        {
            clock.Pause();
        }

        var waiter = Task.Run(() => Assert.Throws<ObjectDisposedException>(() => clock.WaitForTickAfter(clock.TickCount)));
        Thread.Sleep(20);
        clock.Dispose();

        await waiter.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(clock.Thread!.IsAlive);
        Assert.Throws<ObjectDisposedException>(clock.Start);
    }

    private int _endAfter;

    private WorldClock Create(int endAfter, int? slowTick = null)
    {
        _endAfter = endAfter;
        return new WorldClock(Period, _gate, now =>
        {
            _ticks.Add(now);
            if (_ticks.Count == slowTick)
            {
                _time.Advance(Period * 2.5);
            }

            return _ticks.Count < _endAfter;
        }, new ManualDeadlineWaiter(_time));
    }

    private long[] Ticks()
    {
        lock (_gate)
        {
            return [.. _ticks];
        }
    }
}
