using System.Diagnostics;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Models;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Live;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>
/// The asynchronous schedule's promises (shared/DESIGN.md): a slow learner never stalls the actors, stale and
/// overflowing segments are dropped and counted, and a run stops cleanly on cancellation or failure.
/// </summary>
/// <remarks>Timing assertions use wide margins: the test machine has two cores shared with parallel builds.</remarks>
[Collection(WallClockTests.Name)]
public sealed class AsynchronousScheduleTests
{
    private const double TickRateHertz = 100;
    private const double BlockedSeconds = 2;

    [Fact]
    public void Run_LearnerBlockedTwoSeconds_ActorKeepsStepping()
    {
        using var rig = new Rig(actors: 1, live: true);
        var learner = new ScriptedLearner(rig.WeightCount) { FirstUpdateDelay = TimeSpan.FromSeconds(BlockedSeconds) };

        // 10 steps per segment at 100 Hz: the first update starts after ~0.1 s and blocks 2 s; the run lasts ~3.5 s.
        var schedule = rig.Schedule(learner, new AsynchronousScheduleOptions { TotalSteps = 350, StepsPerSegment = 10 });
        schedule.Run();

        var (from, until) = learner.FirstBlock;
        Assert.True(until - from >= BlockedSeconds * Stopwatch.Frequency * 0.99, "the learner did not block");
        var stepsWhileBlocked = rig.Envs[0].StepTimestamps.Count(t => t >= from && t <= until);
        var expected = BlockedSeconds * TickRateHertz;

        // Each Step waits for one world tick, so the actor cannot exceed the tick rate; it must not fall far below it.
        Assert.InRange(stepsWhileBlocked, expected / 2, expected * 1.1);
        var gaps = rig.Live[0].ActionGaps.Run;
        Assert.True(gaps.Max < TimeSpan.FromMilliseconds(250), $"max action gap {gaps.Max} while the learner was blocked for {BlockedSeconds} s");
        Assert.True(MaxGap(rig.Envs[0].StepTimestamps) < TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Run_SmallLagLimitAndSlowLearner_DropsStaleSegmentsBeforeUpdate()
    {
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(30) };
        using var cancellation = new CancellationTokenSource();
        var options = new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8, MaxPolicyLag = 0, QueueCapacity = 8 };
        var schedule = rig.Schedule(learner, options, new DelegateCallbacks(finished: u => CancelAfter(u.Iteration, 8, cancellation)));

        schedule.Run(cancellation.Token);

        var statistics = schedule.Statistics;
        Assert.True(statistics.Lag.DroppedStale > 0, $"no stale segment was dropped: {statistics.Lag}");
        Assert.True(statistics.Updates >= 8);
        Assert.NotEmpty(learner.Received);
        Assert.All(learner.Received, r => Assert.InRange(r.Learner.LagOf(r.Behaviour), 0, options.MaxPolicyLag));
        Assert.Equal(statistics.Updates * options.SegmentsPerUpdate, learner.Received.Count);
    }

    [Fact]
    public void Run_LagLimitOneWithWaitingChannel_NoSegmentOlderThanOneVersionIsTrained()
    {
        // A waiting channel keeps old segments (a dropping one would replace them with fresh ones), so lags above one occur.
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(30) };
        using var cancellation = new CancellationTokenSource();
        var options = new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8, MaxPolicyLag = 1, SegmentsPerUpdate = 2, WhenFull = QueueFullMode.Wait };
        var schedule = rig.Schedule(learner, options, new DelegateCallbacks(finished: u => CancelAfter(u.Iteration, 8, cancellation)));

        schedule.Run(cancellation.Token);

        Assert.True(schedule.Statistics.Lag.DroppedStale > 0, $"no stale segment was dropped: {schedule.Statistics.Lag}");
        Assert.All(learner.Received, r => Assert.InRange(r.Learner.LagOf(r.Behaviour), 0, 1));
    }

    [Fact]
    public void Run_LearnerSlowerThanActorsWithDropOldest_DropsFullAndActorsNeverBlock()
    {
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(25) };
        using var cancellation = new CancellationTokenSource();
        var options = new AsynchronousScheduleOptions
        {
            TotalSteps = long.MaxValue,
            StepsPerSegment = 8,
            QueueCapacity = 4,
            WhenFull = QueueFullMode.DropOldest,
            MaxPolicyLag = 1_000,
        };
        var samples = new List<(long[] Steps, SegmentPoolStatistics Pool)>();
        AsynchronousSchedule<float, int>? schedule = null;
        schedule = rig.Schedule(learner, options, new DelegateCallbacks(finished: u =>
        {
            samples.Add((rig.Envs.Select(e => e.Steps).ToArray(), schedule!.Statistics.Pool));
            CancelAfter(u.Iteration, 10, cancellation);
        }));

        schedule.Run(cancellation.Token);

        var statistics = schedule.Statistics;
        Assert.True(statistics.Channel.DroppedFull > 0, $"the channel never overflowed: {statistics.Channel}");
        Assert.Equal(statistics.Channel.Written, statistics.Channel.Read + statistics.Channel.DroppedFull + statistics.Channel.Count);

        // While the learner sleeps in every update, each actor keeps stepping.
        for (var i = 1; i < samples.Count; i++)
        {
            for (var k = 0; k < rig.Envs.Length; k++)
            {
                Assert.True(samples[i].Steps[k] > samples[i - 1].Steps[k], $"actor {k} made no step between updates {i} and {i + 1}");
            }
        }

        // Segments in flight: one per actor, a full queue, the learner's batch. Everything else went back to the pool,
        // so the pool stops allocating once it holds that many.
        var inFlight = rig.Envs.Length + options.QueueCapacity + options.SegmentsPerUpdate;
        Assert.All(samples, s => Assert.InRange(s.Pool.Outstanding, 0, inFlight));
        Assert.InRange(statistics.Pool.Outstanding, 0, inFlight);
        Assert.InRange(statistics.Pool.Allocated, 1, inFlight + 2);
        Assert.True(statistics.Pool.Rented > statistics.Pool.Allocated * 3, $"segments were not reused: {statistics.Pool}");
    }

    [Fact]
    public void Run_Cancelled_ReturnsPromptlyAndJoinsActorThreads()
    {
        using var rig = new Rig(actors: 2, live: true);
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(20) };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var schedule = rig.Schedule(learner, new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 10 });

        var clock = Stopwatch.StartNew();
        schedule.Run(cancellation.Token);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"Run took {clock.Elapsed} to stop after cancellation at 0.5 s");
        AssertActorThreadsExited(rig);
    }

    [Fact]
    public void Run_ActorThrows_SurfacesAsAggregateExceptionAndJoinsThreads()
    {
        using var rig = new Rig(actors: 2, live: false, failOnStep: [null, 300]);
        var learner = new ScriptedLearner(rig.WeightCount);
        var schedule = rig.Schedule(learner, new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8 });

        var error = Assert.Throws<AggregateException>(() => schedule.Run());

        var inner = Assert.Single(error.InnerExceptions);
        Assert.Contains("Scripted env failure on step 300", inner.Message, StringComparison.Ordinal);
        AssertActorThreadsExited(rig);
    }

    [Fact]
    public void Run_LearnerThrows_SurfacesAsAggregateExceptionAndJoinsThreads()
    {
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount) { FailOnUpdate = 3 };
        var schedule = rig.Schedule(learner, new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8 });

        var error = Assert.Throws<AggregateException>(() => schedule.Run());

        var inner = Assert.Single(error.InnerExceptions);
        Assert.Contains("Scripted learner failure on update 3", inner.Message, StringComparison.Ordinal);
        AssertActorThreadsExited(rig);
    }

    private static void AssertActorThreadsExited(Rig rig)
    {
        foreach (var env in rig.Envs)
        {
            var thread = Assert.IsType<Thread>(env.SteppingThread);
            Assert.StartsWith("tempo-actor-", thread.Name, StringComparison.Ordinal);
            Assert.False(thread.IsAlive, $"{thread.Name} is still running after Run returned");
        }
    }

    private static void CancelAfter(long iteration, int updates, CancellationTokenSource cancellation)
    {
        if (iteration >= updates)
        {
            cancellation.Cancel();
        }
    }

    private static TimeSpan MaxGap(List<long> timestamps)
    {
        long max = 0;
        for (var i = 1; i < timestamps.Count; i++)
        {
            max = Math.Max(max, timestamps[i] - timestamps[i - 1]);
        }

        return Stopwatch.GetElapsedTime(0, max);
    }

    /// <summary>Actors over one env each (plain CartPole, or LiveCartPole at <see cref="TickRateHertz"/>), each env behind a step recorder.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly SyncVectorEnv<float, int>[] _vectors;
        private readonly Actor<float, int>[] _actors;

        public Rig(int actors, bool live, long?[]? failOnStep = null)
        {
            Live = live
                ? Enumerable.Range(0, actors).Select(_ => new LiveCartPole(new LiveCartPoleOptions { Ticks = new LiveTickOptions { TickRateHertz = TickRateHertz } })).ToArray()
                : [];
            Envs = Enumerable.Range(0, actors)
                .Select(k => new StepTimesEnv(live ? Live[k] : (IEnv<float, int>)new CartPole(), failOnStep?[k]))
                .ToArray();
            _vectors = Envs.Select(e => new SyncVectorEnv<float, int>([e])).ToArray();
            _actors = new Actor<float, int>[actors];
            for (var k = 0; k < actors; k++)
            {
                var policy = new CategoricalMlpActorCritic(4, 2, [8], new RandomSource(k));
                WeightCount = policy.WeightCount;
                _actors[k] = new Actor<float, int>(new ActorId(k), _vectors[k], policy, Episodes);
                _actors[k].Start(seed: 10 * k);
            }
        }

        public StepTimesEnv[] Envs { get; }

        public LiveCartPole[] Live { get; }

        public EpisodeMailbox Episodes { get; } = new();

        public int WeightCount { get; }

        public AsynchronousSchedule<float, int> Schedule(ScriptedLearner learner, AsynchronousScheduleOptions options, ITrainingCallbacks? callbacks = null) =>
            new(_actors, learner, options, callbacks ?? new DelegateCallbacks(), Episodes);

        public void Dispose()
        {
            foreach (var vector in _vectors)
            {
                vector.Dispose();
            }
        }
    }
}
