using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Timing;
using Tempo.Core.Wrappers;
using Tempo.Tests.Shared;

namespace Tempo.Core.Tests.Timing;

[Collection(WallClockTests.Name)]
public sealed class RealTimeClockTests
{
    private static RealTimeClockOptions FiftyMilliseconds => new() { StepPeriod = TimeSpan.FromMilliseconds(50) };

    private readonly ManualTimeProvider _clock = new();
    private readonly float[] _observation = new float[1];

    private static long Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds).Ticks;

    private void Advance(double milliseconds) => _clock.Advance(TimeSpan.FromMilliseconds(milliseconds));

    private (RealTimeClock<float, int> Clock, PausableEnv Env, ManualDeadlineWaiter Waiter) Create()
    {
        var env = new PausableEnv(_clock);
        var waiter = new ManualDeadlineWaiter(_clock);
        return (new RealTimeClock<float, int>(env, FiftyMilliseconds, waiter), env, waiter);
    }

    [Fact]
    public void Step_PunctualAgent_ActsAtEveryDeadline()
    {
        var (clock, env, _) = Create();
        clock.Reset(_observation);

        Advance(30);
        clock.Step([0], _observation);
        Advance(10);
        clock.Step([1], _observation);
        Advance(49.9);
        clock.Step([2], _observation);

        Assert.Equal([Ms(50), Ms(100), Ms(150)], env.StepTimestamps);
        Assert.Equal(3, _observation[0]);
        var statistics = clock.Statistics;
        Assert.Equal(3, statistics.Steps);
        Assert.Equal(0, statistics.Overruns);
        Assert.Equal(TimeSpan.Zero, statistics.MaxLateness);
        Assert.Equal(default, statistics.RunLateness);
    }

    [Fact]
    public void Step_LateAgent_StretchesThePeriodAndCountsTheOverrun()
    {
        var (clock, env, waiter) = Create();
        clock.Reset(_observation);

        Advance(20);
        clock.Step([0], _observation);   // waits: 50
        Advance(80);
        clock.Step([0], _observation);   // 130: 30 ms late, no wait; the next period starts now
        Advance(10);
        clock.Step([0], _observation);   // waits: 180, not 150
        Advance(100);
        clock.Step([0], _observation);   // 280: 50 ms late
        Advance(50);
        clock.Step([0], _observation);   // exactly at the deadline 330: punctual

        Assert.Equal([Ms(50), Ms(130), Ms(180), Ms(280), Ms(330)], env.StepTimestamps);
        Assert.Equal([Ms(50), Ms(180), Ms(330)], waiter.Deadlines);
        var statistics = clock.Statistics;
        Assert.Equal(5, statistics.Steps);
        Assert.Equal(2, statistics.Overruns);
        Assert.Equal(0.4, statistics.OverrunFraction, 12);
        Assert.Equal(TimeSpan.FromMilliseconds(50), statistics.MaxLateness);
        Assert.Equal(new DurationSummary(2, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(49.8), TimeSpan.FromMilliseconds(50)), statistics.WindowLateness);
        Assert.Equal(2, statistics.RunLateness.Count);
        Assert.InRange(statistics.RunLateness.P50.TotalMilliseconds, 30 * (1 - (1 / 128.0)), 30 * (1 + (1 / 128.0)));
    }

    [Fact]
    public void ResetStatisticsWindow_KeepsCountsAndRun()
    {
        var (clock, _, _) = Create();
        clock.Reset(_observation);
        Advance(70);
        clock.Step([0], _observation);

        clock.ResetStatisticsWindow();

        var statistics = clock.Statistics;
        Assert.Equal(default, statistics.WindowLateness);
        Assert.Equal(1, statistics.RunLateness.Count);
        Assert.Equal(1, statistics.Overruns);
        Assert.Equal(TimeSpan.FromMilliseconds(20), statistics.MaxLateness);
    }

    [Fact]
    public void Reset_StartsAFreshPeriod()
    {
        var (clock, env, _) = Create();
        clock.Reset(_observation);
        clock.Step([0], _observation);   // 50
        Advance(1000);

        clock.Reset(_observation);        // 1050
        Advance(10);
        clock.Step([0], _observation);

        Assert.Equal([Ms(50), Ms(1100)], env.StepTimestamps);
        Assert.Equal(0, clock.Statistics.Overruns);
    }

    [Fact]
    public void Resume_StartsAFreshPeriod_SoThePauseIsNotLateness()
    {
        var (clock, env, _) = Create();
        clock.Reset(_observation);
        clock.Step([1], _observation);   // 50
        clock.Pause();
        Advance(1000);
        env.WorldValue = 42;             // the live world moved while the learner trained

        clock.Resume(_observation);       // 1050
        Assert.Equal(42, _observation[0]);
        Advance(5);
        clock.Step([2], _observation);

        Assert.Equal([Ms(50), Ms(1100)], env.StepTimestamps);
        Assert.Equal(["Reset", "Step(1)", "Pause", "Resume", "Step(2)"], env.Calls);
        Assert.Equal(0, clock.Statistics.Overruns);
        Assert.True(clock.CanPause);
    }

    [Fact]
    public void Step_AfterTheEpisodeEnded_ThrowsWithoutWaiting()
    {
        var waiter = new ManualDeadlineWaiter(_clock);
        using var clock = new RealTimeClock<float, int>(new CountingEnv(episodeLength: 2), FiftyMilliseconds, waiter);
        var observation = new float[3];
        clock.Reset(observation);
        clock.Step([0], observation);
        Assert.True(clock.Step([0], observation).Terminated);

        Assert.Throws<InvalidOperationException>(() => clock.Step([0], observation));

        Assert.Equal(2, waiter.Deadlines.Count);
        Assert.Equal(2, clock.Statistics.Steps);
    }

    [Fact]
    public void Step_BeforeReset_ThrowsWithoutWaiting()
    {
        var (clock, _, waiter) = Create();

        Assert.Throws<InvalidOperationException>(() => clock.Step([0], _observation));

        Assert.Empty(waiter.Deadlines);
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(-5, 16)]
    [InlineData(50, 0)]
    public void Constructor_InvalidOptions_Throw(double periodMilliseconds, int window)
    {
        var options = new RealTimeClockOptions { StepPeriod = TimeSpan.FromMilliseconds(periodMilliseconds), LatenessWindow = window };

        Assert.Throws<ArgumentOutOfRangeException>(() => new RealTimeClock<float, int>(new PausableEnv(), options, _clock));
    }

    /// <summary>The agent's script: think times before each step (the third and fifth are late) and its actions.</summary>
    private static (double ThinkMilliseconds, int Action)[] Script => [(10, 1), (45, 2), (70, 0), (5, 1), (120, 2), (0, 0)];

    private static (List<float[]> Observations, List<long> StepTimestamps, DeadlineStatistics Statistics) Play(
        bool clockOutside)
    {
        var time = new ManualTimeProvider();
        var env = new PausableEnv(time);
        var waiter = new ManualDeadlineWaiter(time);
        IEnv<float, int> stack;
        RealTimeClock<float, int> clock;
        if (clockOutside)
        {
            clock = new RealTimeClock<float, int>(new ActionHistory<int>(env, historyLength: 2), FiftyMilliseconds, waiter);
            stack = clock;
        }
        else
        {
            clock = new RealTimeClock<float, int>(env, FiftyMilliseconds, waiter);
            stack = new ActionHistory<int>(clock, historyLength: 2);
        }

        var observations = new List<float[]>();
        var observation = new float[stack.ObservationSpace.FlatSize];
        stack.Reset(observation);
        observations.Add([.. observation]);
        foreach (var (think, action) in Script)
        {
            time.Advance(TimeSpan.FromMilliseconds(think));
            stack.Step([action], observation);
            observations.Add([.. observation]);
        }

        return (observations, env.StepTimestamps, clock.Statistics);
    }

    [Fact]
    public void Composition_WithActionHistory_EitherOrderGivesTheSameStepsAndObservations()
    {
        var outside = Play(clockOutside: true);
        var inside = Play(clockOutside: false);

        Assert.Equal(outside.Observations, inside.Observations);
        Assert.Equal(outside.StepTimestamps, inside.StepTimestamps);
        Assert.Equal(outside.Statistics, inside.Statistics);

        // 10 → waits to 50; 95 → waits to 100; 170 is 20 late (next deadline 220); 175 → waits to 220;
        // 340 is 70 late (next deadline 390); 340 → waits to 390.
        Assert.Equal([Ms(50), Ms(100), Ms(170), Ms(220), Ms(340), Ms(390)], outside.StepTimestamps);
        Assert.Equal(2, outside.Statistics.Overruns);

        // [world, one-hot of the action before last, one-hot of the last action]: after the last step (action 0) after action 2.
        Assert.Equal([6f, 0f, 0f, 1f, 1f, 0f, 0f], outside.Observations[^1]);
    }

    /// <summary>Real clock, generous bounds: ten 10 ms steps take at least 100 ms, and every step is counted.</summary>
    [Fact]
    public void Step_OnTheRealClock_NeverRunsAheadOfTheDeadlines()
    {
        using var clock = new RealTimeClock<float, int>(new CountingEnv(episodeLength: 100), new RealTimeClockOptions { StepPeriod = TimeSpan.FromMilliseconds(10) });
        var observation = new float[3];
        var start = TimeProvider.System.GetTimestamp();
        clock.Reset(observation);
        for (var i = 0; i < 10; i++)
        {
            clock.Step([0], observation);
        }

        var elapsed = TimeProvider.System.GetElapsedTime(start);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(100), $"elapsed {elapsed}");
        Assert.True(elapsed < TimeSpan.FromSeconds(20), $"elapsed {elapsed}");
        Assert.Equal(10, clock.Statistics.Steps);
        Assert.Equal(10, observation[0]);
    }

    [Fact]
    public void Step_SteadyStateOnTheRealClock_AllocatesNothing()
    {
        using var clock = new RealTimeClock<float, int>(new CountingEnv(episodeLength: 1000), new RealTimeClockOptions { StepPeriod = TimeSpan.FromMilliseconds(1) });
        var observation = new float[3];
        int[] action = [0];
        clock.Reset(observation);

        Assert.Equal(0, Allocations.OnThisThread(() => clock.Step(action, observation), warmUp: 5, repetitions: 20));
    }

    [Fact]
    public void Step_OverALiveEnv_EachStepSeesAtLeastOneTick()
    {
        var live = new LiveCartPole(new LiveCartPoleOptions { Ticks = new() { TickRateHertz = 200, HoldTime = TimeSpan.FromSeconds(10) } });
        using var clock = new RealTimeClock<float, int>(live, new RealTimeClockOptions { StepPeriod = TimeSpan.FromMilliseconds(20) });
        var observation = new float[4];
        clock.Reset(observation, seed: 3);

        var total = 0f;
        for (var i = 0; i < 5; i++)
        {
            var result = clock.Step([observation[2] > 0 ? 1 : 0], observation);
            Assert.True(result.Reward >= 1);
            total += result.Reward;
            if (result.Terminated)
            {
                break;
            }
        }

        // +1 per tick and the world's first episode started at tick 0: the steps collected at most every tick so far.
        Assert.True(total <= live.TickCount);
        Assert.True(clock.Statistics.Steps >= 1);
    }
}
