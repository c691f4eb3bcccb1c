using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Envs;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Schedules;

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>The synchronous schedule's contract: "Pause hooks are exact" (docs/design.md), with a real PPO learner.</summary>
public sealed class SynchronousScheduleTests
{
    private const int Iterations = 3;
    private const int Envs = 2;
    private const int Steps = 4;

    [Fact]
    public void Run_PausableEnvs_FollowsExactHookOrder()
    {
        using var harness = new Harness(canPause: [true, true], pauseDuringUpdates: true);

        harness.Schedule.Run();

        Assert.Equal(ExpectedLog(paused: true), harness.Log.Entries);
        Assert.Equal(Iterations, harness.Schedule.Iteration);
        Assert.Equal(Iterations * Envs * Steps, harness.Schedule.GlobalStep);
        Assert.All(harness.Callbacks.UpdatesStarting, u => Assert.True(u.Paused));
        Assert.Equal([8L, 16L, 24L], harness.Callbacks.UpdatesStarting.Select(u => u.GlobalStep));
        Assert.All(harness.Envs, env => Assert.False(env.IsPaused));
    }

    [Fact]
    public void Run_PausableEnvs_NoStepWhilePaused()
    {
        using var harness = new Harness(canPause: [true, true], pauseDuringUpdates: true);

        harness.Schedule.Run();

        // Independently of the exact sequence: between a Pause and the next Resume of an env, it gets no Step.
        foreach (var env in harness.Envs)
        {
            var paused = false;
            foreach (var entry in harness.Log.Entries)
            {
                if (entry == $"Pause({env.Index})")
                {
                    paused = true;
                }
                else if (entry == $"Resume({env.Index})")
                {
                    paused = false;
                }
                else if (entry == $"Step({env.Index})")
                {
                    Assert.False(paused, $"env {env.Index} was stepped while paused");
                }
            }
        }
    }

    [Fact]
    public void Run_PausableEnvs_NextRolloutActsOnResumeObservation()
    {
        using var harness = new Harness(canPause: [true, true], pauseDuringUpdates: true);

        harness.Schedule.Run();

        // Act calls: Steps per rollout, one rollout per iteration. The first Act of rollout k + 1 follows the k-th Resume.
        Assert.Equal(Iterations * Steps, harness.Policy.ActedOn.Count);
        for (var iteration = 1; iteration < Iterations; iteration++)
        {
            var expected = ResumeObservations(iteration);
            Assert.Equal(expected, harness.Policy.ActedOn[iteration * Steps]);
            Assert.Equal(expected, harness.Learner.SegmentObservations[iteration][0].AsSpan(0, Envs * 2).ToArray());
        }

        // The first rollout starts from the reset observations.
        Assert.Equal([0f, 0f, 1f, 0f], harness.Policy.ActedOn[0]);
    }

    [Fact]
    public void Run_PausableEnvs_SegmentsCarryTheVersionTheyWereCollectedWith()
    {
        using var harness = new Harness(canPause: [true, true], pauseDuringUpdates: true);

        harness.Schedule.Run();

        Assert.Equal([0L, 1L, 2L], harness.Learner.BehaviourVersions.Select(v => v.Value));
        Assert.Equal(Iterations, harness.Learner.Version.Value);
    }

    [Fact]
    public void Run_PauseDuringUpdatesOff_NeverPauses()
    {
        using var harness = new Harness(canPause: [true, true], pauseDuringUpdates: false);

        harness.Schedule.Run();

        Assert.Equal(ExpectedLog(paused: false), harness.Log.Entries);
        Assert.All(harness.Callbacks.UpdatesStarting, u => Assert.False(u.Paused));

        // Without Resume the next rollout continues from the last Step's observation: value = steps so far.
        for (var iteration = 1; iteration < Iterations; iteration++)
        {
            float stepsSoFar = iteration * Steps;
            Assert.Equal([0f, stepsSoFar, 1f, stepsSoFar], harness.Policy.ActedOn[iteration * Steps]);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Run_SomeEnvCannotPause_NeverPauses(bool firstCanPause, bool secondCanPause)
    {
        using var harness = new Harness(canPause: [firstCanPause, secondCanPause], pauseDuringUpdates: true);

        harness.Schedule.Run();

        Assert.Equal(ExpectedLog(paused: false), harness.Log.Entries);
        Assert.All(harness.Callbacks.UpdatesStarting, u => Assert.False(u.Paused));
    }

    [Fact]
    public void Run_EnvsWithoutPauseCapability_TrainWithoutPausing()
    {
        // CartPole does not implement IPausable; a wrapper forwards "cannot pause".
        var envs = new IEnv<float, int>[]
        {
            new RecordEpisodeStatistics<float, int>(new Core.Envs.Classic.CartPole()),
            new RecordEpisodeStatistics<float, int>(new Core.Envs.Classic.CartPole()),
        };
        using var vector = new SyncVectorEnv<float, int>(envs);
        var log = new CallLog();
        var callbacks = new RecordingCallbacks(log);
        var (learner, policy) = CreatePpo(observationSize: 4);
        var actor = new Actor<float, int>(new ActorId(0), vector, policy);
        actor.Start(seed: 3);
        var schedule = new SynchronousSchedule<float, int>(
            [actor], learner, new SynchronousScheduleOptions { Iterations = Iterations, StepsPerRollout = Steps }, callbacks);

        schedule.Run();

        Assert.False(actor.CanPause);
        Assert.Equal(Iterations, schedule.Iteration);
        Assert.All(callbacks.UpdatesStarting, u => Assert.False(u.Paused));
    }

    [Fact]
    public void Run_PausableEnvBehindWrapper_IsPausedThroughTheWrapper()
    {
        var log = new CallLog();
        var envs = new IEnv<float, int>[]
        {
            new RecordEpisodeStatistics<float, int>(new RecordingEnv(0, log, canPause: true)),
            new RecordEpisodeStatistics<float, int>(new RecordingEnv(1, log, canPause: true)),
        };
        using var vector = new SyncVectorEnv<float, int>(envs);
        var callbacks = new RecordingCallbacks(log);
        var (learner, policy) = CreatePpo(observationSize: 2);
        var actor = new Actor<float, int>(new ActorId(0), vector, policy);
        actor.Start(seed: 3);
        var schedule = new SynchronousSchedule<float, int>(
            [actor], learner, new SynchronousScheduleOptions { Iterations = 1, StepsPerRollout = Steps }, callbacks);

        schedule.Run();

        Assert.Equal(
            ["RolloutEnded(1)", "Pause(0)", "Pause(1)", "UpdateStarting(1)", "UpdateFinished(1)", "Resume(0)", "Resume(1)"],
            log.Entries.Where(e => !e.StartsWith("Step", StringComparison.Ordinal) && !e.StartsWith("Reset", StringComparison.Ordinal)));
        Assert.All(callbacks.UpdatesStarting, u => Assert.True(u.Paused));
    }

    [Fact]
    public void Run_Cancelled_StopsBetweenIterations()
    {
        using var harness = new Harness(canPause: [true, true], pauseDuringUpdates: true);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        harness.Schedule.Run(cancellation.Token);

        Assert.Equal(0, harness.Schedule.Iteration);
        Assert.DoesNotContain(harness.Log.Entries, e => e.StartsWith("Step", StringComparison.Ordinal));
    }

    private static float[] ResumeObservations(int resume)
    {
        var value = RecordingEnv.ResumeValue(resume);
        return [0f, value, 1f, value];
    }

    private static List<string> ExpectedLog(bool paused)
    {
        List<string> expected = ["Reset(0)", "Reset(1)", "Load(v0)"];
        for (var iteration = 1; iteration <= Iterations; iteration++)
        {
            for (var t = 0; t < Steps; t++)
            {
                expected.AddRange(["Act", "Step(0)", "Step(1)"]);
            }

            expected.Add($"RolloutEnded({iteration})");
            if (paused)
            {
                expected.AddRange(["Pause(0)", "Pause(1)"]);
            }

            expected.AddRange([$"UpdateStarting({iteration})", "Update", $"Load(v{iteration})", $"UpdateFinished({iteration})"]);
            if (paused)
            {
                expected.AddRange(["Resume(0)", "Resume(1)"]);
            }
        }

        return expected;
    }

    private static (PpoLearner<float, int> Learner, CategoricalMlpActorCritic Policy) CreatePpo(int observationSize)
    {
        var options = new PpoOptions
        {
            NumMinibatches = 1,
            UpdateEpochs = 1,
        };
        var shape = new LearnerShape(Trajectories: Envs, Steps: Steps, TotalTimesteps: Iterations * Envs * Steps);
        int[] hiddenSizes = [8];
        var model = new CategoricalMlpActorCritic(observationSize, 2, hiddenSizes, new RandomSource(1));
        var acting = new CategoricalMlpActorCritic(observationSize, 2, hiddenSizes, new RandomSource(2));
        return (new PpoLearner<float, int>(model, options, shape, new RandomSource(3)), acting);
    }

    /// <summary>Two recording envs, a real PPO learner and acting policy (both recorded), one actor, and the schedule.</summary>
    private sealed class Harness : IDisposable
    {
        private readonly SyncVectorEnv<float, int> _vector;

        public Harness(bool[] canPause, bool pauseDuringUpdates)
        {
            Envs = canPause.Select((can, i) => new RecordingEnv(i, Log, can)).ToArray();
            _vector = new SyncVectorEnv<float, int>(Envs);
            Callbacks = new RecordingCallbacks(Log);
            var (learner, policy) = CreatePpo(observationSize: 2);
            Learner = new RecordingLearner(learner, Log);
            Policy = new RecordingPolicy(policy, Log);
            var actor = new Actor<float, int>(new ActorId(0), _vector, Policy);
            actor.Start(seed: 7);
            Schedule = new SynchronousSchedule<float, int>(
                [actor],
                Learner,
                new SynchronousScheduleOptions { Iterations = Iterations, StepsPerRollout = Steps, PauseDuringUpdates = pauseDuringUpdates },
                Callbacks);
        }

        public CallLog Log { get; } = new();

        public RecordingEnv[] Envs { get; }

        public RecordingCallbacks Callbacks { get; }

        public RecordingPolicy Policy { get; }

        public RecordingLearner Learner { get; }

        public SynchronousSchedule<float, int> Schedule { get; }

        public void Dispose() => _vector.Dispose();
    }
}
