using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Seeding;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Ppo;

public sealed class PpoLearnerTests
{
    // Ratio offsets d (ratio = 1 + d) of the ten transitions used by the schedule tests, away from every threshold.
    private static readonly float[] _ratioOffsets = [0.005f, 0.025f, 0.045f, 0.065f, 0.085f, 0.105f, 0.125f, 0.145f, 0.165f, 0.185f];

    [Fact]
    public void Update_EachCall_IncrementsTheVersionByOne()
    {
        var (learner, model, random) = RealLearner();
        Assert.Equal(PolicyVersion.Initial, learner.Version);

        for (var update = 1; update <= 3; update++)
        {
            var statistics = learner.Update([ActedSegment(model, random)]);

            Assert.Equal(new PolicyVersion(update), learner.Version);
            Assert.Equal(new PolicyVersion(update), model.Version);
            Assert.Equal(update, statistics.PolicyVersion);
            Assert.Equal(update, learner.Progress.Updates);
        }
    }

    [Fact]
    public void Update_AfterWarmUp_AllocatesNothingAndOverwritesItsOwnStatistics()
    {
        // The learner owns one statistics instance and overwrites it: a steady-state update allocates nothing.
        var (learner, model, random) = RealLearner();
        Segment<float, int>[] segments = [ActedSegment(model, random)];
        var first = learner.Update(segments);
        var policyLoss = first[ActorCriticStatistics.PolicyLoss];

        var statistics = first;

        Assert.Equal(0, Allocations.OnThisThread(() => statistics = learner.Update(segments), warmUp: 0, repetitions: 1, rounds: 3));
        Assert.Same(first, statistics);
        Assert.Equal(ActorCriticStatistics.Names, statistics.Names);
        Assert.NotEqual(policyLoss, statistics[ActorCriticStatistics.PolicyLoss]);
        Assert.Equal(4, statistics.PolicyVersion); // The first update and three measured rounds of one.
        Assert.Equal(4, statistics.GradientSteps); // 2 epochs × 2 minibatches.
        Assert.Null(statistics.PolicyLag); // PPO trains on fresh segments and does not measure lag.
    }

    [Fact]
    public void CheckpointContract_ExposesTheModelAdamAndTheShuffleStream()
    {
        var (learner, model, _) = RealLearner();

        Assert.Equal(model.NamedParameters, learner.Parameters);
        var optimizer = Assert.Single(learner.Optimizers);
        Assert.Equal("actor_critic", optimizer.Name);
        Assert.Equal(model.NamedParameters.Select(p => p.Parameter), optimizer.Optimizer.Parameters);
        Assert.Equal([RandomStreamKey.Learner], learner.RandomStreams.Keys);

        learner.Restore(new LearnerProgress(7, 112), new PolicyVersion(9));

        Assert.Equal(new LearnerProgress(7, 112), learner.Progress);
        Assert.Equal(new PolicyVersion(9), learner.Version);
        Assert.Throws<ArgumentOutOfRangeException>(() => learner.Restore(new LearnerProgress(-1, 0), new PolicyVersion(0)));
    }

    [Fact]
    public void Snapshot_LoadedIntoASecondModel_GivesTheSameOutputs()
    {
        var (learner, model, random) = RealLearner();
        var initial = learner.Snapshot();
        learner.Update([ActedSegment(model, random)]);

        var snapshot = learner.Snapshot();
        var copy = new CategoricalMlpActorCritic(4, 2, [8, 8], new RandomSource(99));
        copy.Load(snapshot);

        Assert.NotEqual(initial.Weights.ToArray(), snapshot.Weights.ToArray());
        Assert.Equal(learner.Version, snapshot.Version);
        Assert.Equal(snapshot.Version, copy.Version);
        var observations = RandomObservations(random, 16 * 4);
        var (actions, logProbs, values) = Deterministic(model, observations, 16);
        var (copyActions, copyLogProbs, copyValues) = Deterministic(copy, observations, 16);
        Assert.Equal(actions, copyActions);
        Assert.Equal(logProbs, copyLogProbs);
        Assert.Equal(values, copyValues);

        // The snapshot is a copy: training on does not change it.
        var before = snapshot.Weights.ToArray();
        learner.Update([ActedSegment(model, random)]);
        Assert.Equal(before, snapshot.Weights.ToArray());
    }

    [Fact]
    public void Update_AnnealLr_FollowsCleanRlFraction()
    {
        // CleanRL: frac = 1 − (iteration − 1) / num_iterations; lr = frac · learning_rate, set before each update.
        var options = FakeOptions() with { LearningRate = 0.01, AnnealLr = true };
        var shape = FakeShape with { TotalTimesteps = 40 };
        var learner = new PpoLearner<float, int>(new FakeActorCritic(), options, shape, new RandomSource(1));

        for (var iteration = 1; iteration <= shape.Updates; iteration++)
        {
            var statistics = learner.Update([FakeSegment()]);

            var expected = (1.0 - ((iteration - 1.0) / shape.Updates)) * 0.01;
            Assert.Equal(expected, statistics[ActorCriticStatistics.LearningRate], 15);
            Assert.Equal(expected, learner.Optimizers[0].Optimizer.LearningRate, 15);
        }

        Assert.Equal(4, shape.Updates);
    }

    [Fact]
    public void Update_NoAnnealLr_KeepsTheLearningRate()
    {
        var options = FakeOptions() with { LearningRate = 0.01, AnnealLr = false };
        var learner = new PpoLearner<float, int>(new FakeActorCritic(), options, FakeShape with { TotalTimesteps = 40 }, new RandomSource(1));

        var rates = Enumerable.Range(0, 4).Select(_ => learner.Update([FakeSegment()])[ActorCriticStatistics.LearningRate]);

        Assert.All(rates, rate => Assert.Equal(0.01, rate));
    }

    [Theory]
    [InlineData(true, new[] { 0.0, 0.2, 0.5, 0.7 })]
    [InlineData(false, new[] { 0.0, 0.0, 0.0, 0.0 })]
    public void Update_AnnealClipCoef_ShrinksTheClipRange(bool anneal, double[] expectedClipFractions)
    {
        // Ratios 1 + d for the ten ratio offsets d; ε = 0.2 · frac is 0.2, 0.15, 0.1, 0.05 over four iterations,
        // so 0, 2, 5 and 7 of the ten ratios lie outside [1 − ε, 1 + ε].
        var options = FakeOptions() with { AnnealClipCoef = anneal, ClipCoef = 0.2 };
        var learner = new PpoLearner<float, int>(new FakeActorCritic(), options, FakeShape with { TotalTimesteps = 40 }, new RandomSource(1));

        var clipFractions = Enumerable.Range(0, 4).Select(_ => learner.Update([FakeSegment()])[ActorCriticStatistics.ClipFraction]).ToArray();

        Assert.Equal(expectedClipFractions, clipFractions);
    }

    [Theory]
    [InlineData(null, 8)]
    [InlineData(1.0, 8)]
    [InlineData(1e-6, 2)]
    public void Update_TargetKl_StopsTheEpochsOnceExceeded(double? targetKl, int expectedEvaluations)
    {
        // 4 epochs of 2 minibatches; the fake's ratios give an approximate KL of about 5e-3 in every minibatch.
        var model = new FakeActorCritic();
        var options = FakeOptions() with { UpdateEpochs = 4, NumMinibatches = 2, TargetKl = targetKl };
        var learner = new PpoLearner<float, int>(model, options, FakeShape, new RandomSource(1));

        var statistics = learner.Update([FakeSegment()]);

        Assert.Equal(expectedEvaluations, model.EvaluateCalls);
        Assert.Equal(expectedEvaluations, statistics.GradientSteps);
        Assert.InRange(statistics[ActorCriticStatistics.ApproxKl], 1e-4, 1e-2);
    }

    [Fact]
    public void Update_TruncatedSteps_BootstrapFromTheirFinalObservations()
    {
        // T = 3, N = 2. Env 0 is truncated at t = 1 (V(final) = 5); env 1 terminates at t = 0 (also flagged
        // truncated: a terminal state wins) and is truncated at t = 2 (V(final) = −3). Bootstrap values 7 and 11.
        // The fake's V(s) is the observation's second element, so the learner's value gradients reveal the
        // returns it computed: ∂loss/∂V = vf_coef · (V − R) / B without value clipping.
        const int Steps = 3, Envs = 2;
        var segment = new Segment<float, int>(new SegmentLayout(Steps, Envs, 2, 1));
        float[] newValues = [0.5f, 0.75f, 1f, 1.25f, 1.5f, 1.75f];
        float[] behaviourValues = [1f, -0.5f, 2f, 0.3f, -1.2f, 0.8f];
        float[] rewards = [1f, 0.5f, -1f, 2f, 0.25f, 1.5f];
        bool[] terminated = [false, true, false, false, false, false];
        bool[] truncated = [false, true, true, false, false, true];
        for (var k = 0; k < Steps * Envs; k++)
        {
            segment.Observations[(2 * k) + 1] = newValues[k];
        }

        behaviourValues.CopyTo(segment.BehaviourValues);
        rewards.CopyTo(segment.Rewards);
        terminated.CopyTo(segment.Terminated);
        truncated.CopyTo(segment.Truncated);
        segment.FinalObservations[(2 * 2) + 1] = 5f;   // t = 1, env 0
        segment.FinalObservations[(2 * 1) + 1] = 99f;  // t = 0, env 1: terminated, must be ignored
        segment.FinalObservations[(2 * 5) + 1] = -3f;  // t = 2, env 1
        segment.BootstrapObservations[1] = 7f;
        segment.BootstrapObservations[3] = 11f;

        var model = new FakeActorCritic();
        var options = FakeOptions() with { ClipVloss = false, VfCoef = 0.5, Gamma = 0.9, GaeLambda = 0.8 };
        var learner = new PpoLearner<float, int>(model, options, new LearnerShape(Envs, Steps, TotalTimesteps: 6), new RandomSource(1));

        learner.Update([segment]);

        float[] truncationValues = [0f, 99f, 5f, 0f, 0f, -3f];
        var expected = ReferenceReturns(rewards, behaviourValues, terminated, truncated, truncationValues, [7f, 11f], Steps, Envs, 0.9, 0.8);
        var (observations, valueGradients) = Assert.Single(model.Backwards);
        for (var sample = 0; sample < Steps * Envs; sample++)
        {
            var value = observations[(2 * sample) + 1];
            var k = Array.IndexOf(newValues, value);
            var learnerReturn = value - (valueGradients[sample] * (Steps * Envs) / 0.5);
            Assert.Equal(expected[k], learnerReturn, 4);
        }
    }

    [Fact]
    public void Update_SegmentsOfDifferentStepCounts_ThrowsNamingTheLayout()
    {
        var learner = new PpoLearner<float, int>(new FakeActorCritic(), FakeOptions(), FakeShape, new RandomSource(1));
        var first = new Segment<float, int>(new SegmentLayout(5, 2, 2, 1)) { Actor = new ActorId(0) };
        var second = new Segment<float, int>(new SegmentLayout(4, 2, 2, 1)) { Actor = new ActorId(1) };

        var error = Assert.Throws<ArgumentException>(() => learner.Update([first, second]));

        Assert.Contains("actor-1", error.Message);
        Assert.Contains("Steps = 4", error.Message);
        Assert.Contains("needs 5 steps", error.Message);
    }

    [Fact]
    public void Update_SegmentWithAnotherObservationSize_Throws()
    {
        var learner = new PpoLearner<float, int>(new FakeActorCritic(), FakeOptions(), FakeShape, new RandomSource(1));
        var segment = new Segment<float, int>(new SegmentLayout(5, 2, ObservationSize: 3, ActionSize: 1));

        var error = Assert.Throws<ArgumentException>(() => learner.Update([segment]));

        Assert.Contains("ObservationSize = 3", error.Message);
        Assert.Contains("observations of 2", error.Message);
    }

    [Fact]
    public void Update_NoSegments_Throws()
    {
        var learner = new PpoLearner<float, int>(new FakeActorCritic(), FakeOptions(), FakeShape, new RandomSource(1));

        var error = Assert.Throws<ArgumentException>(() => learner.Update([]));

        Assert.Contains("at least one segment", error.Message);
    }

    [Theory]
    [InlineData(1, 3, 5)] // more trajectories than the shape's 2
    [InlineData(2, 2, 5)] // two segments of 2 envs: 4 trajectories
    [InlineData(1, 2, 4)] // shorter trajectories than the shape's 5 steps
    public void Update_BatchOfAnotherShape_ThrowsNamingBothShapes(int segments, int envs, int steps)
    {
        var model = new FakeActorCritic();
        var learner = new PpoLearner<float, int>(model, FakeOptions(), FakeShape, new RandomSource(1));
        var batch = Enumerable.Range(0, segments).Select(k => new Segment<float, int>(new SegmentLayout(steps, envs, 2, 1)) { Actor = new ActorId(k) }).ToArray();

        var error = Assert.Throws<ArgumentException>(() => learner.Update(batch));

        Assert.Contains("PPO", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 env trajectories × 5 steps", error.Message, StringComparison.Ordinal);
        Assert.Contains($"got {segments * envs} × {steps}", error.Message, StringComparison.Ordinal);
        Assert.Equal(PolicyVersion.Initial, learner.Version);
        Assert.Equal(0, learner.Progress.Updates);
        Assert.Empty(model.Backwards);
    }

    [Fact]
    public void Constructor_MinibatchesNotDividingTheBatch_ThrowsNamingTheOption()
    {
        var options = FakeOptions() with { NumMinibatches = 3 };

        var error = Assert.Throws<ArgumentException>(() => new PpoLearner<float, int>(new FakeActorCritic(), options, FakeShape, new RandomSource(1)));

        Assert.StartsWith("num-minibatches (--num-minibatches) must divide the batch size 10", error.Message, StringComparison.Ordinal);
        Assert.Contains("got 3.", error.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(PpoOptions.NumMinibatches), error.ParamName);
    }

    /// <summary>GAE as a forward sum, Â_t = Σ_l (γλ)^l δ_{t+l} up to the episode's end, in double: independent of <c>Gae</c>'s backward recursion.</summary>
    private static double[] ReferenceReturns(
        float[] rewards, float[] values, bool[] terminated, bool[] truncated, float[] truncationValues, float[] bootstrapValues,
        int steps, int envs, double gamma, double lambda)
    {
        var returns = new double[steps * envs];
        for (var env = 0; env < envs; env++)
        {
            for (var t = 0; t < steps; t++)
            {
                double advantage = 0, factor = 1;
                for (var l = t; l < steps; l++)
                {
                    var k = (l * envs) + env;
                    double next = terminated[k] ? 0
                        : truncated[k] ? truncationValues[k]
                        : l == steps - 1 ? bootstrapValues[env]
                        : values[k + envs];
                    advantage += factor * (rewards[k] + (gamma * next) - values[k]);
                    if (terminated[k] || truncated[k])
                    {
                        break;
                    }

                    factor *= gamma * lambda;
                }

                returns[(t * envs) + env] = advantage + values[(t * envs) + env];
            }
        }

        return returns;
    }

    /// <summary>The fake segments' shape: N = 2 envs × T = 5 steps, a budget of one batch.</summary>
    private static LearnerShape FakeShape => new(Trajectories: 2, Steps: 5, TotalTimesteps: 10);

    private static PpoOptions FakeOptions() => new()
    {
        NumMinibatches = 1,
        UpdateEpochs = 1,
        AnnealLr = false,
    };

    /// <summary>T = 5, N = 2: observation k is [ratio offset k, k], behaviour log-probability 0, reward 1.</summary>
    private static Segment<float, int> FakeSegment()
    {
        var segment = new Segment<float, int>(new SegmentLayout(5, 2, 2, 1));
        for (var k = 0; k < 10; k++)
        {
            segment.Observations[2 * k] = _ratioOffsets[k];
            segment.Observations[(2 * k) + 1] = k;
            segment.Rewards[k] = 1f;
        }

        return segment;
    }

    /// <summary>The acted segments' shape: N = 2 envs × T = 8 steps, a budget of ten batches.</summary>
    private static LearnerShape RealShape => new(Trajectories: 2, Steps: 8, TotalTimesteps: 160);

    private static (PpoLearner<float, int> Learner, CategoricalMlpActorCritic Model, Random Random) RealLearner()
    {
        var options = new PpoOptions { NumMinibatches = 2, UpdateEpochs = 2 };
        var model = new CategoricalMlpActorCritic(4, 2, [8, 8], new RandomSource(1));
        return (new PpoLearner<float, int>(model, options, RealShape, new RandomSource(2)), model, new RandomSource(3));
    }

    /// <summary>A segment of 8 steps × 2 envs acted by <paramref name="policy"/> on random observations, as an actor would fill it.</summary>
    private static Segment<float, int> ActedSegment(CategoricalMlpActorCritic policy, Random random)
    {
        var segment = new Segment<float, int>(new SegmentLayout(8, 2, 4, 1));
        RandomObservations(random, segment.Observations.Length).CopyTo(segment.Observations);
        policy.Act(segment.Observations, 16, ActionSelection.Sample, segment.Actions, segment.BehaviourLogProbs, segment.BehaviourValues);
        for (var k = 0; k < 16; k++)
        {
            segment.Rewards[k] = segment.Actions[k] == 0 ? 1f : -1f;
            segment.Terminated[k] = k % 7 == 6;
        }

        RandomObservations(random, segment.BootstrapObservations.Length).CopyTo(segment.BootstrapObservations);
        return segment;
    }

    private static float[] RandomObservations(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

    private static (int[] Actions, float[] LogProbs, float[] Values) Deterministic(IPolicy<float, int> policy, float[] observations, int batch)
    {
        var actions = new int[batch];
        var logProbs = new float[batch];
        var values = new float[batch];
        policy.Act(observations, batch, ActionSelection.Deterministic, actions, logProbs, values);
        return (actions, logProbs, values);
    }
}
