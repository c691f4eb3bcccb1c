using Tempo.Core.Envs.Live;
using Tempo.Core.Tests.Timing;
using Tempo.Core.Wrappers;
using Tempo.Tests.Shared;

namespace Tempo.Core.Tests.Envs.Live;

/// <summary>The timing semantics of <see cref="LiveEnv{TObservation, TAction}"/>, on a world that logs every tick (5 ms ticks; assertions on counts and order).</summary>
[Collection(WallClockTests.Name)]
public sealed class LiveEnvTests
{
    private static TimeSpan LongHold => TimeSpan.FromSeconds(30);

    private readonly float[] _observation = new float[2];

    private static RecordingLiveEnv Create(TimeSpan? hold = null, int? endAfterTicks = null) =>
        new(new LiveTickOptions { TickRateHertz = 200, HoldTime = hold ?? LongHold }, endAfterTicks);

    [Fact]
    public void Reset_ReturnsTheInitialObservationAtOnceAndStartsTheWorld()
    {
        using var env = Create();

        env.Reset(_observation);

        Assert.Equal([0f, -1f], _observation);
        Eventually.True(() => env.TickCount >= 3, "the world ticks without actions");
        Assert.All(env.Log, tick => Assert.Equal(-1, tick.Input));
        Assert.True(env.NoInputTickCount >= 3);
    }

    [Fact]
    public void Step_ReturnsAfterATickAppliedTheMostRecentAction()
    {
        using var env = Create();
        env.Reset(_observation);

        foreach (var action in new[] { 2, 0, 1, 1, 2, 0 })
        {
            var ticksBefore = env.TickCount;
            env.Step([action], _observation);

            Assert.Equal(action, _observation[1]);
            Assert.True(env.TickCount > ticksBefore);
        }
    }

    [Fact]
    public void Step_RewardIsSummedOverEveryTickSinceThePreviousStep()
    {
        using var env = Create();
        env.Reset(_observation);
        Eventually.True(() => env.TickCount >= 4, "a few ticks before the first action");

        var total = 0f;
        for (var i = 0; i < 8; i++)
        {
            var result = env.Step([i % 3], _observation);
            Assert.True(result.Reward >= 1);
            total += result.Reward;
        }

        // Reward 1 per tick, read together with the observation: together the steps collected every tick of the episode.
        Assert.Equal(_observation[0], total);
        Assert.True(total >= 12);
    }

    [Fact]
    public void Tick_LateAgent_TheHeldActionFillsTheMissedTicks()
    {
        using var env = Create();
        env.Reset(_observation);
        env.Step([2], _observation);
        var appliedAt = (int)_observation[0];
        Eventually.True(() => env.TickCount >= appliedAt + 3, "ticks pass while the agent is busy");

        var result = env.Step([1], _observation);

        Assert.True(result.Reward >= 3);
        var log = env.Log;

        // The new action takes over at one tick; Step returns that tick's observation or, when the tick thread ran on
        // before the waiting agent got the lock back (a loaded machine), a later one that still applied the new action.
        var observedAt = (int)_observation[0];
        var firstNew = log.First(t => t.EpisodeTick > appliedAt && t.Input == 1).EpisodeTick;
        Assert.True(firstNew <= observedAt, $"the observation (tick {observedAt}) predates the tick that applied the action ({firstNew})");
        var missed = log.Where(t => t.EpisodeTick > appliedAt && t.EpisodeTick < firstNew).ToArray();
        Assert.NotEmpty(missed);
        Assert.All(missed, tick => Assert.Equal(2, tick.Input));
        Assert.All(log.Where(t => t.EpisodeTick >= firstNew && t.EpisodeTick <= observedAt), tick => Assert.Equal(1, tick.Input));
    }

    [Fact]
    public void Tick_AfterTheHoldTime_AppliesNoInput()
    {
        var hold = TimeSpan.FromMilliseconds(30);
        using var env = Create(hold);
        env.Reset(_observation);
        var beforeStep = TimeProvider.System.GetTimestamp();
        env.Step([1], _observation);
        var appliedAt = (int)_observation[0];
        var noInputAfterStep = env.NoInputTickCount;

        Eventually.True(() => env.NoInputTickCount > noInputAfterStep + 2, "ticks without input after the hold time");

        var after = env.Log.Where(t => t.EpisodeTick >= appliedAt).ToArray();
        var held = after.TakeWhile(t => t.Input == 1).ToArray();
        var rest = after.Skip(held.Length).ToArray();

        // Held for at most hold / period + 1 ticks (ticks are never closer than a period), then no input for good.
        Assert.InRange(held.Length, 1, 7);
        Assert.NotEmpty(rest);
        Assert.All(rest, tick => Assert.Equal(-1, tick.Input));
        Assert.True(TimeProvider.System.GetElapsedTime(beforeStep, rest[0].Timestamp) >= hold);
    }

    [Fact]
    public void Tick_WorldEnded_FreezesUntilReset()
    {
        using var env = Create(endAfterTicks: 5);
        env.Reset(_observation);
        Eventually.True(() => env.HasWorldEnded, "the world ends after five ticks");
        Thread.Sleep(30);

        Assert.Equal(5, env.TickCount);
        var result = env.Step([0], _observation);

        Assert.True(result.Terminated);
        Assert.False(result.Truncated);
        Assert.Equal(5f, result.Reward);
        Assert.Equal([5f, -1f], _observation);
        Assert.Throws<InvalidOperationException>(() => env.Step([0], _observation));

        env.Reset(_observation);
        Assert.False(env.HasWorldEnded);
        Eventually.True(() => env.TickCount > 5, "the world ticks again after Reset");
    }

    [Fact]
    public void Pause_FreezesTheTickCountAndTheWorldExactly()
    {
        using var env = Create();
        env.Reset(_observation);
        env.Step([2], _observation);

        env.Pause();
        var atPause = new float[2];
        var tickAtPause = env.Observe(atPause);
        Thread.Sleep(50);

        Assert.True(env.IsPaused);
        Assert.Equal(tickAtPause, env.TickCount);
        var whilePaused = new float[2];
        Assert.Equal(tickAtPause, env.Observe(whilePaused));
        Assert.Equal(atPause, whilePaused);

        env.Resume(_observation);

        Assert.False(env.IsPaused);
        Assert.Equal(atPause, _observation);
        Eventually.True(() => env.TickCount > tickAtPause, "the world ticks again after Resume");
        env.Step([1], _observation);
        Assert.Equal(1, _observation[1]);
    }

    [Fact]
    public void Pause_TheHoldTimeDoesNotRunWhilePaused()
    {
        using var env = Create(TimeSpan.FromMilliseconds(500));
        env.Reset(_observation);
        env.Step([2], _observation);
        env.Pause();
        var tickAtPause = env.TickCount;
        Thread.Sleep(700);

        env.Resume(_observation);
        Eventually.True(() => env.TickCount > tickAtPause + 1, "ticks after Resume");

        // 700 ms of pause exceed the 500 ms hold, but no world time passed: the first tick after Resume still holds action 2.
        var firstAfterResume = env.Log.First(t => t.EpisodeTick > _observation[0]);
        Assert.Equal(2, firstAfterResume.Input);
    }

    [Fact]
    public void Step_WhilePaused_Throws()
    {
        using var env = Create();
        env.Reset(_observation);
        env.Pause();

        var error = Assert.Throws<InvalidOperationException>(() => env.Step([0], _observation));

        Assert.Contains("paused", error.Message, StringComparison.Ordinal);
        Assert.Contains("Resume", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PauseAndResume_OutOfOrder_Throw()
    {
        using var env = Create();
        env.Reset(_observation);

        Assert.Throws<InvalidOperationException>(() => env.Resume(_observation));
        env.Pause();
        Assert.Throws<InvalidOperationException>(env.Pause);
        Assert.True(env.CanPause);
    }

    [Fact]
    public void Reset_WhilePaused_StartsTheEpisodeButStaysPaused()
    {
        using var env = Create(endAfterTicks: 1000);
        env.Reset(_observation);
        Eventually.True(() => env.TickCount >= 3, "a few ticks");
        env.Pause();
        var tickAtPause = env.TickCount;

        env.Reset(_observation);
        Thread.Sleep(30);

        Assert.Equal([0f, -1f], _observation);
        Assert.True(env.IsPaused);
        Assert.Equal(tickAtPause, env.TickCount);
        env.Resume(_observation);
        Assert.Equal([0f, -1f], _observation);
        Assert.Equal(2, env.ResetCount);
    }

    [Fact]
    public void ObserveAndResume_BeforeReset_Throw()
    {
        using var env = Create();

        Assert.Throws<InvalidOperationException>(() => env.Observe(_observation));
        env.Pause();
        Assert.Throws<InvalidOperationException>(() => env.Resume(_observation));
        Assert.Throws<InvalidOperationException>(() => env.Step([0], _observation));
    }

    [Fact]
    public async Task Dispose_JoinsTheTickThread()
    {
        var env = Create();
        env.Reset(_observation);
        env.Step([1], _observation);
        var thread = env.TickThread!;
        Assert.True(thread.IsAlive);

        await Task.Run(env.Dispose).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(thread.IsAlive);
        Assert.Throws<ObjectDisposedException>(() => env.Step([0], _observation));
        Assert.Throws<ObjectDisposedException>(() => env.Reset(_observation));
        env.Dispose();
    }

    [Fact]
    public async Task Dispose_WhilePausedOrFrozen_JoinsTheTickThread()
    {
        var paused = Create();
        paused.Reset(_observation);
        paused.Pause();
        var ended = Create(endAfterTicks: 2);
        ended.Reset(_observation);
        Eventually.True(() => ended.HasWorldEnded, "the world ends");

        await Task.Run(() =>
        {
            paused.Dispose();
            ended.Dispose();
        }).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(paused.TickThread!.IsAlive);
        Assert.False(ended.TickThread!.IsAlive);
    }

    [Fact]
    public void Dispose_NeverReset_StartsNoThread()
    {
        var env = Create();

        env.Dispose();

        Assert.Null(env.TickThread);
    }

    [Fact]
    public void ActionGaps_CountEveryGapButNoneAcrossResetOrPause()
    {
        using var env = new RecordActionGaps<float, int>(Create());
        env.Reset(_observation);
        for (var i = 0; i < 10; i++)
        {
            env.Step([0], _observation);
        }

        Assert.Equal(9, env.ActionGaps.Run.Count);

        env.Reset(_observation);
        for (var i = 0; i < 5; i++)
        {
            env.Step([0], _observation);
        }

        env.Pause();
        env.Resume(_observation);
        for (var i = 0; i < 3; i++)
        {
            env.Step([0], _observation);
        }

        var gaps = env.ActionGaps;
        Assert.Equal(9 + 4 + 2, gaps.Run.Count);
        Assert.Equal(15, gaps.Window.Count);

        env.ResetActionGapWindow();
        env.Step([0], _observation);
        env.Step([0], _observation);

        // Resetting the window does not break the sequence: the first gap runs from the last action before it.
        gaps = env.ActionGaps;
        Assert.Equal(2, gaps.Window.Count);
        Assert.Equal(17, gaps.Run.Count);
    }

    /// <summary>An agent stepping as fast as it can is paced by the ticks: its gaps average about a period (generous upper bound).</summary>
    [Fact]
    public void ActionGaps_AgentSteppingFlatOut_AverageAboutOneTickPeriod()
    {
        var live = Create();
        using var env = new RecordActionGaps<float, int>(live);
        env.Reset(_observation);
        const int steps = 21;
        for (var i = 0; i < steps; i++)
        {
            env.Step([0], _observation);
        }

        var run = env.ActionGaps.Run;
        Assert.Equal(steps - 1, run.Count);

        // Each Step waits for its own tick and ticks are paced by deadlines a period apart, so n steps span
        // at least n − 3 periods; the upper bound only guards against a stuck clock.
        var period = live.TickPeriod;
        Assert.True(run.Mean >= period * (steps - 3) / (steps - 1) * 0.99, $"mean gap {run.Mean}");
        Assert.True(run.Max < TimeSpan.FromSeconds(5), $"max gap {run.Max}");
        Assert.True(run.P50 <= run.P99 && run.P99 <= run.Max);
    }

    [Fact]
    public void ActionGaps_KnownDelaysOnTheInjectedClock_AreRecordedPerAction()
    {
        // The system clock plus jumps the test makes: each gap is the real gap (≥ 0) plus the jump before the action.
        var clock = new JumpingTimeProvider();
        using var env = new RecordActionGaps<float, int>(
            new RecordingLiveEnv(new LiveTickOptions { TickRateHertz = 200, HoldTime = LongHold }, timeProvider: clock), timeProvider: clock);
        env.Reset(_observation);
        env.Step([0], _observation);
        foreach (var jump in new[] { 100, 100, 300, 200 })
        {
            clock.Jump(TimeSpan.FromMilliseconds(jump));
            env.Step([0], _observation);
        }

        var gaps = env.ActionGaps.Window;
        Assert.Equal(4, gaps.Count);
        Assert.InRange(gaps.P50.TotalMilliseconds, 150, 150 + 5_000);
        Assert.InRange(gaps.Max.TotalMilliseconds, 300, 300 + 5_000);
        Assert.InRange(gaps.Mean.TotalMilliseconds, 175, 175 + 5_000);
        Assert.Equal(gaps.Max, env.ActionGaps.Run.Max);
    }

    [Fact]
    public void Step_SteadyState_AllocatesNothing()
    {
        using var env = Create();
        env.Reset(_observation);
        int[] action = [1];

        Assert.Equal(0, Allocations.OnThisThread(() => env.Step(action, _observation), warmUp: 5, repetitions: 20));
    }

    [Theory]
    [InlineData(0.0, 100, 8)]
    [InlineData(double.NaN, 100, 8)]
    [InlineData(20_000, 100, 8)]
    [InlineData(50, -1, 8)]
    [InlineData(50, 0, 8)]
    [InlineData(50, 100, 0)]
    public void LiveTickOptions_OutOfRange_Throw(double rate, double holdMilliseconds, int window)
    {
        var options = new LiveTickOptions { TickRateHertz = rate, HoldTime = TimeSpan.FromMilliseconds(holdMilliseconds), ActionGapWindow = window };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecordingLiveEnv(options));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(200.0)]
    public void LiveTickOptions_WorldSpeedOutOfRange_Throws(double speed)
    {
        var options = new LiveTickOptions { WorldSpeed = speed };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains(nameof(LiveTickOptions.WorldSpeed), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LiveTickOptions_AWallClockRateAbove10000_Throws()
    {
        var options = new LiveTickOptions { TickRateHertz = 5000, WorldSpeed = 3 };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void LiveTickOptions_WorldSpeed_ShortensTheWallClockPeriodAndHoldTime()
    {
        // 60 ticks per second of game time in a game running 3x: 180 ticks per wall-clock second.
        var options = new LiveTickOptions { TickRateHertz = 60, WorldSpeed = 3 };
        var held = options with { HoldTime = TimeSpan.FromMilliseconds(300) };

        Assert.Equal(TimeSpan.FromSeconds(1 / 180.0), options.TickPeriod);
        Assert.Equal(TimeSpan.FromSeconds(1 / 60.0), options.WorldTickPeriod);
        Assert.Equal(5 * TimeSpan.FromSeconds(1 / 180.0), options.EffectiveHoldTime);
        Assert.Equal(TimeSpan.FromMilliseconds(100), held.EffectiveHoldTime);
    }

    [Fact]
    public void WorldTime_CountsEachTickAsOneWorldTickPeriod_AtAnyWorldSpeed()
    {
        using var env = new RecordingLiveEnv(new LiveTickOptions { TickRateHertz = 200, WorldSpeed = 2, HoldTime = LongHold });
        env.Reset(_observation);
        for (var i = 0; i < 10; i++)
        {
            env.Step([1], _observation);
        }

        env.Pause();
        var ticks = env.TickCount;
        ILiveEnv live = env;

        // 200 ticks per world second take 2.5 ms of wall-clock time each at speed 2, and cover 5 ms of world time.
        Assert.Equal(TimeSpan.FromSeconds(1 / 400.0), live.TickPeriod);
        Assert.Equal(2, live.WorldSpeed);
        Assert.Equal(TimeSpan.FromSeconds(1 / 200.0) * ticks, live.WorldTime);
        Assert.True(ticks >= 10, $"{ticks} ticks after 10 steps");
    }

    [Fact]
    public void LiveTickOptions_HoldTimeDefaultsToFiveTickPeriods()
    {
        var options = new LiveTickOptions { TickRateHertz = 200 };

        Assert.Equal(TimeSpan.FromMilliseconds(5), options.TickPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(25), options.EffectiveHoldTime);
    }
}
