using Tempo.Algorithms.Impala;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Tests.TestDoubles;

namespace Tempo.Algorithms.Tests.Impala;

public sealed class ImpalaLearnerTests
{
    private const float Gamma = 0.9f;

    /// <summary>The hand tests' step budget; the learning rate does not anneal, so it only has to cover a batch.</summary>
    private const long HandBudget = 1_000_000;

    private static readonly ImpalaOptions _handOptions = new()
    {
        AnnealLr = false,
        Gamma = Gamma,
        EntCoef = 0.01,
        BaselineCoef = 0.5,
        MaxGradNorm = 1e6,
        LearningRate = 0.01,
    };

    [Fact]
    public void Update_StaleBehaviour_GradientsMatchHandComputedVtrace()
    {
        // States 0 → 1 → bootstrap 2 with V = 1, 2, 3; rewards 1; π(a=0) = 0.6 everywhere.
        // μ = 0.8 then 0.4: ratios 0.75 and 1.5, so ρ = c = 0.75 at t = 0 and ρ = c = 1 (clipped) at t = 1.
        var model = new TabularActorCritic(3, 2);
        for (var s = 0; s < 3; s++)
        {
            model.SetPolicy(s, 0.6f, 0.4f);
            model.SetValue(s, s + 1f);
        }

        var segment = HandSegments.Create(2, 1, (_, _) => 1f);
        segment.BehaviourLogProbs[0] = MathF.Log(0.8f);
        segment.BehaviourLogProbs[1] = MathF.Log(0.4f);
        var learner = new ImpalaLearner<float, int>(model, _handOptions, HandShape(1, 2));

        var statistics = learner.Update([segment]);

        // v_1 = 2 + 1·(1 + 0.9·3 − 2) = 3.7; v_0 = 1 + 0.75·(1 + 0.9·2 − 1) + 0.9·0.75·(3.7 − 2) = 3.4975.
        // A_0 = 0.75·(1 + 0.9·3.7 − 1) = 2.4975; A_1 = 1.7.
        Assert.Equal(-2.4975f / 2, model.LastLogProbGradients[0], 4);
        Assert.Equal(-1.7f / 2, model.LastLogProbGradients[1], 4);
        Assert.Equal(0.5f * (1f - 3.4975f) / 2, model.LastValueGradients[0], 4);
        Assert.Equal(0.5f * (2f - 3.7f) / 2, model.LastValueGradients[1], 4);
        Assert.Equal(-0.01f / 2, model.LastEntropyGradients[0], 6);
        Assert.Equal(0.5, statistics[ActorCriticStatistics.ClipFraction]); // one of two importance weights exceeded ρ̄.
        Assert.True(statistics[ActorCriticStatistics.ApproxKl] > 0);

        // One step raises both values towards their targets and the likelihood of the (advantageous) action.
        Assert.True(model.Value(0) > 1f && model.Value(1) > 2f);
        Assert.True(model.Probability(0, 0) > 0.6f && model.Probability(1, 0) > 0.6f);
    }

    [Fact]
    public void Update_BehaviourEqualsTarget_ValueTargetsAreBootstrappedNStepReturns()
    {
        const int steps = 5, envs = 2;
        var model = new TabularActorCritic(HandSegments.StateCount(steps, envs, extra: 1), 2);
        model.InitializeDistinct();
        var segment = HandSegments.Create(steps, envs, (t, i) => (0.5f * t) - i);
        HandSegments.Terminate(segment, step: 2, env: 1);
        HandSegments.Truncate(segment, step: 1, env: 0, finalState: model.States - 1);
        HandSegments.ActOnPolicy(segment, model);
        var expected = HandSegments.BootstrappedReturns(segment, model, Gamma);
        var values = model.ValuesByState();
        var learner = new ImpalaLearner<float, int>(model, _handOptions, HandShape(envs, steps));

        learner.Update([segment]);

        var vs = model.ValueTargetsFromLastGradients(values, _handOptions.BaselineCoef);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], vs[k], 4);
        }
    }

    [Fact]
    public void Update_TruncatedStep_AddsDiscountedFinalValueAndNoLaterReward()
    {
        // One env, steps 0, 1, 2; step 1 truncated at state F with V(F) = 4; everything else has V = 0.
        var model = new TabularActorCritic(HandSegments.StateCount(3, 1, extra: 1), 2);
        var final = model.States - 1;
        model.SetValue(final, 4f);
        var segment = HandSegments.Create(3, 1, (t, _) => 10f * (t + 1));
        HandSegments.Truncate(segment, step: 1, env: 0, finalState: final);
        HandSegments.ActOnPolicy(segment, model);
        var values = model.ValuesByState();
        var learner = new ImpalaLearner<float, int>(model, _handOptions, HandShape(1, 3));

        learner.Update([segment]);

        var vs = model.ValueTargetsFromLastGradients(values, _handOptions.BaselineCoef);
        Assert.Equal(20f + (Gamma * 4f), vs[1], 4);
        Assert.Equal(10f + (Gamma * (20f + (Gamma * 4f))), vs[0], 4);
        Assert.Equal(30f, vs[2], 4);
        Assert.Equal(-(20f + (Gamma * 4f)) / 3, model.LastLogProbGradients[1], 4); // A = r + γV(F) − V(s), on-policy ρ = 1.
    }

    [Fact]
    public void Update_EachBatch_OneStepAndVersionIncrement()
    {
        var model = new TabularActorCritic(HandSegments.StateCount(2, 2), 2);
        var learner = new ImpalaLearner<float, int>(model, _handOptions, HandShape(2, 2));

        for (var expected = 1; expected <= 3; expected++)
        {
            var segment = HandSegments.Create(2, 2, (t, i) => t - i, learner.Version);
            HandSegments.ActOnPolicy(segment, model);
            var statistics = learner.Update([segment]);
            Assert.Equal(expected, statistics.PolicyVersion);
            Assert.Equal(expected, model.EvaluatedObservations.Count);
        }

        Assert.Equal(3, learner.Progress.Updates);
        Assert.Equal(12, learner.Progress.TrainedSteps);
        Assert.Equal(learner.Version, learner.Snapshot().Version);
    }

    [Fact]
    public void Update_StaleSegments_ReportsPolicyLag()
    {
        var model = new TabularActorCritic(HandSegments.StateCount(2, 2), 2);
        model.SetVersion(new PolicyVersion(4));
        var learner = new ImpalaLearner<float, int>(model, _handOptions, HandShape(2, 2));
        var stale = HandSegments.Create(2, 1, (_, _) => 1f, new PolicyVersion(0));
        var staler = HandSegments.Create(2, 1, (_, _) => 1f, new PolicyVersion(2));

        var statistics = learner.Update([stale, staler]);

        Assert.Equal(3.0, statistics.PolicyLag?.Mean);
        Assert.Equal(4L, statistics.PolicyLag?.Max);
    }

    [Fact]
    public void Update_SegmentNewerThanLearner_Throws()
    {
        var learner = new ImpalaLearner<float, int>(new TabularActorCritic(HandSegments.StateCount(2, 1), 2), _handOptions, HandShape(1, 2));

        var error = Assert.Throws<ArgumentException>(() => learner.Update([HandSegments.Create(2, 1, (_, _) => 0f, new PolicyVersion(1))]));

        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_SegmentsOfDifferentLengths_Throws()
    {
        var learner = new ImpalaLearner<float, int>(new TabularActorCritic(HandSegments.StateCount(3, 2), 2), _handOptions, HandShape(2, 3));

        Assert.Throws<ArgumentException>(() => learner.Update([HandSegments.Create(3, 1, (_, _) => 0f), HandSegments.Create(1, 1, (_, _) => 0f)]));
    }

    [Theory]
    [InlineData(new[] { 3 }, 2)] // more trajectories than the shape's 2
    [InlineData(new[] { 1, 1, 1 }, 2)] // three one-env segments
    [InlineData(new[] { 2 }, 1)] // shorter trajectories than the shape's 2 steps
    public void Update_BatchOfAnotherShape_ThrowsNamingBothShapes(int[] envsPerSegment, int steps)
    {
        var model = new TabularActorCritic(HandSegments.StateCount(steps, envsPerSegment.Sum()), 2);
        var learner = new ImpalaLearner<float, int>(model, _handOptions, HandShape(2, 2));
        var segments = envsPerSegment.Select(envs => HandSegments.Create(steps, envs, (_, _) => 0f)).ToArray();

        var error = Assert.Throws<ArgumentException>(() => learner.Update(segments));

        Assert.Contains("IMPALA", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 env trajectories × 2 steps", error.Message, StringComparison.Ordinal);
        Assert.Contains($"got {envsPerSegment.Sum()} × {steps}", error.Message, StringComparison.Ordinal);
        Assert.Equal(PolicyVersion.Initial, learner.Version);
        Assert.Equal(0, learner.Progress.Updates);
        Assert.Empty(model.EvaluatedObservations);
    }

    [Fact]
    public void Constructor_InvalidOption_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new ImpalaLearner<float, int>(new TabularActorCritic(4, 2), _handOptions with { BaselineCoef = -1 }, HandShape(1, 1)));

        Assert.Equal(nameof(ImpalaOptions.BaselineCoef), error.ParamName);
    }

    /// <summary>Batches of <paramref name="trajectories"/> env trajectories × <paramref name="steps"/> steps over <see cref="HandBudget"/>.</summary>
    private static LearnerShape HandShape(int trajectories, int steps) => new(trajectories, steps, HandBudget);
}
