using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Models;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Schedules;

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>The synchronous schedule on a live env: what pausing buys, and what the action gap is without it.</summary>
[Collection(WallClockTests.Name)]
public sealed class SynchronousScheduleLiveTests
{
    private const double TickRateHertz = 100;

    [Fact]
    public void Run_LearnerBlockedTwoSecondsWithoutPausing_ActionGapSpansTheUpdate()
    {
        // The "sync PPO without pausing" figure: the world runs on while the learner trains, and no action arrives.
        using var rig = new Rig();
        var learner = new ScriptedLearner(rig.WeightCount) { FirstUpdateDelay = TimeSpan.FromSeconds(2) };

        rig.Schedule(learner, iterations: 2, pause: false).Run();

        var gaps = rig.Gaps.ActionGaps.Run;
        Assert.True(gaps.Max >= TimeSpan.FromSeconds(1.95), $"max action gap {gaps.Max}; expected the 2 s update");
    }

    [Fact]
    public void Run_PausingLiveEnv_WorldClockStandsStillDuringUpdates()
    {
        using var rig = new Rig();
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(200), FirstUpdateDelay = TimeSpan.FromMilliseconds(200) };
        var ticks = new List<(long Starting, long Finished)>();
        long starting = 0;
        var callbacks = new DelegateCallbacks(
            starting: _ => starting = rig.Live.TickCount,
            finished: _ => ticks.Add((starting, rig.Live.TickCount)));
        var updatesStarting = new List<UpdateStarting>();
        var recorder = new DelegateCallbacks(starting: updatesStarting.Add);

        rig.Schedule(learner, iterations: 3, pause: true, new CompositeTrainingCallbacks(callbacks, recorder)).Run();

        Assert.Equal(3, ticks.Count);
        Assert.All(updatesStarting, u => Assert.True(u.Paused));
        Assert.All(ticks, t => Assert.Equal(t.Starting, t.Finished));

        // Not vacuous: the clock did run during the rollouts in between (10 steps, one tick each at least).
        Assert.True(ticks[2].Starting - ticks[0].Finished >= 10, $"ticks {string.Join(", ", ticks)}");
        Assert.False(rig.LiveEnv.IsPaused);
    }

    [Fact]
    public void Run_NotPausingLiveEnv_WorldClockRunsDuringUpdates()
    {
        using var rig = new Rig();
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(200), FirstUpdateDelay = TimeSpan.FromMilliseconds(200) };
        var advances = new List<long>();
        long starting = 0;
        var callbacks = new DelegateCallbacks(
            starting: _ => starting = rig.Live.TickCount,
            finished: _ => advances.Add(rig.Live.TickCount - starting));

        rig.Schedule(learner, iterations: 3, pause: false, callbacks).Run();

        // Each rollout ends with a running world (an ended episode is reset in the same step), so it ticks at least once in 200 ms.
        Assert.Equal(3, advances.Count);
        Assert.All(advances, a => Assert.True(a >= 1, $"the world advanced {a} ticks in 200 ms"));
    }

    /// <summary>One LiveCartPole at <see cref="TickRateHertz"/> behind its action-gap recorder and RecordEpisodeStatistics, found again through the wrapper.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly Actor<float, int> _actor;

        public Rig()
        {
            LiveEnv = new LiveCartPole(new LiveCartPoleOptions { Ticks = new LiveTickOptions { TickRateHertz = TickRateHertz } });
            Gaps = new RecordActionGaps<float, int>(LiveEnv);
            var wrapped = new RecordEpisodeStatistics<float, int>(Gaps);
            Assert.True(((IEnv)wrapped).TryFind<ILiveEnv>(out var live));
            Live = live;
            Envs = new SyncVectorEnv<float, int>([wrapped]);
            var policy = new CategoricalMlpActorCritic(4, 2, [8], new RandomSource(5));
            WeightCount = policy.WeightCount;
            _actor = new Actor<float, int>(new ActorId(0), Envs, policy);
            _actor.Start(seed: 5);
        }

        public LiveCartPole LiveEnv { get; }

        public ILiveEnv Live { get; }

        public RecordActionGaps<float, int> Gaps { get; }

        public SyncVectorEnv<float, int> Envs { get; }

        public int WeightCount { get; }

        public SynchronousSchedule<float, int> Schedule(ScriptedLearner learner, int iterations, bool pause, ITrainingCallbacks? callbacks = null) =>
            new([_actor], learner, new SynchronousScheduleOptions { Iterations = iterations, StepsPerRollout = 10, PauseDuringUpdates = pause }, callbacks ?? new DelegateCallbacks());

        public void Dispose() => Envs.Dispose();
    }
}
