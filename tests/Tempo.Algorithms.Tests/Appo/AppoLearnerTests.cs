using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Tests.TestDoubles;
using Tempo.Core.Seeding;

namespace Tempo.Algorithms.Tests.Appo;

public sealed class AppoLearnerTests
{
    private const float Gamma = 0.9f;

    /// <summary>The hand tests' step budget; the learning rate does not anneal, so it only has to cover a batch.</summary>
    private const long HandBudget = 1_000_000;

    /// <summary>One minibatch, one epoch, raw advantages, unclipped value loss: the recorded gradients expose the loss exactly.</summary>
    private static readonly AppoOptions _handOptions = new()
    {
        AnnealLr = false,
        Gamma = Gamma,
        NumMinibatches = 1,
        UpdateEpochs = 1,
        NormAdv = false,
        ClipVloss = false,
        ClipCoef = 0.2,
        EntCoef = 0.01,
        VfCoef = 0.5,
        MaxGradNorm = 1e6,
        LearningRate = 0.01,
    };

    [Fact]
    public void Update_BehaviourEqualsTarget_ValueTargetsAreBootstrappedNStepReturns()
    {
        const int steps = 4, envs = 3;
        var model = new TabularActorCritic(HandSegments.StateCount(steps, envs, extra: 1), 2);
        model.InitializeDistinct();
        var segment = HandSegments.Create(steps, envs, (t, i) => 1f + t - (0.5f * i));
        HandSegments.Terminate(segment, step: 1, env: 0);
        HandSegments.Truncate(segment, step: 2, env: 1, finalState: model.States - 1);
        HandSegments.ActOnPolicy(segment, model);
        var expected = HandSegments.BootstrappedReturns(segment, model, Gamma);
        var values = model.ValuesByState();
        var learner = new AppoLearner<float, int>(model, _handOptions, HandShape(envs, steps), new RandomSource(1));

        learner.Update([segment]);

        var vs = model.ValueTargetsFromLastGradients(values, _handOptions.VfCoef);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], vs[k], 4);
        }
    }

    [Theory]
    [InlineData(0.5f, 0.3, 1.0f)] // ratio 1.2: ρ clipped to 1, surrogate unclipped.
    [InlineData(0.8f, 0.2, 0.75f)] // ratio 0.75: ρ = 0.75 scales the TD error, surrogate below 1 − ε but A > 0 keeps it.
    [InlineData(0.4f, 0.2, 1.0f)] // ratio 1.5 > 1 + ε with A > 0: the surrogate is clipped, no policy gradient.
    public void Update_StaleBehaviour_GradientsMatchHandComputation(float behaviourProbability, double clipCoef, float rho)
    {
        // One step from state 0 (V = 1) to bootstrap state 1 (V = 2), reward 1, π(a=0 | 0) = 0.6.
        var model = new TabularActorCritic(2, 2);
        model.SetPolicy(0, 0.6f, 0.4f);
        model.SetValue(0, 1f);
        model.SetValue(1, 2f);
        var segment = HandSegments.Create(1, 1, (_, _) => 1f);
        segment.BehaviourLogProbs[0] = MathF.Log(behaviourProbability);
        segment.BehaviourValues[0] = 1f;
        var options = _handOptions with { ClipCoef = clipCoef };
        var learner = new AppoLearner<float, int>(model, options, HandShape(1, 1), new RandomSource(1));

        var statistics = learner.Update([segment]);

        var ratio = 0.6f / behaviourProbability;
        var delta = 1f + (Gamma * 2f) - 1f;
        var advantage = rho * delta;
        var vs = 1f + advantage;
        var surrogateClipped = ratio > 1 + clipCoef;
        var expectedLogProbGradient = surrogateClipped ? 0f : -advantage * ratio;
        Assert.Equal(expectedLogProbGradient, model.LastLogProbGradients[0], 4);
        Assert.Equal((float)options.VfCoef * (1f - vs), model.LastValueGradients[0], 4);
        Assert.Equal(-(float)options.EntCoef, model.LastEntropyGradients[0], 6);
        Assert.Equal(MathF.Abs(ratio - 1) > clipCoef ? 1.0 : 0.0, statistics[ActorCriticStatistics.ClipFraction]);

        // Gradient descent moves V(0) up towards v_s and, unless clipped, makes the rewarded action likelier.
        Assert.True(model.Value(0) > 1f);
        if (!surrogateClipped)
        {
            Assert.True(model.Probability(0, 0) > 0.6f);
        }
    }

    [Fact]
    public void Update_TruncatedStep_BootstrapsFromFinalObservationAndCutsTrace()
    {
        // env 0 truncated at t = 1 (cut at state F, V(F) = 5); env 1 terminated and truncated at t = 1 (terminal wins).
        const int steps = 3, envs = 2;
        var model = new TabularActorCritic(HandSegments.StateCount(steps, envs, extra: 1), 2);
        var final = model.States - 1;
        model.SetValue(final, 5f);
        for (var s = 0; s < final; s++)
        {
            model.SetValue(s, 0.25f * s);
        }

        var segment = HandSegments.Create(steps, envs, (t, i) => t + 1 + (10 * i));
        HandSegments.Truncate(segment, step: 1, env: 0, finalState: final);
        HandSegments.Truncate(segment, step: 1, env: 1, finalState: final);
        HandSegments.Terminate(segment, step: 1, env: 1);
        HandSegments.ActOnPolicy(segment, model);
        var values = model.ValuesByState();
        var learner = new AppoLearner<float, int>(model, _handOptions, HandShape(envs, steps), new RandomSource(1));

        learner.Update([segment]);

        var vs = model.ValueTargetsFromLastGradients(values, _handOptions.VfCoef);
        var v = (Func<int, float>)(s => values[s]);
        Assert.Equal(2f + (Gamma * 5f), vs[2], 4); // t = 1, env 0: r + γ V(final), nothing from t = 2.
        Assert.Equal(1f + (Gamma * (2f + (Gamma * 5f))), vs[0], 4); // t = 0 flows through to the truncation.
        Assert.Equal(3f + (Gamma * v(HandSegments.BootstrapState(0, steps, envs))), vs[4], 4); // new episode bootstraps from the tail.
        Assert.Equal(12f, vs[3], 4); // t = 1, env 1 terminated: the reward alone, no bonus.
        Assert.Equal(11f + (Gamma * 12f), vs[1], 4);
    }

    [Fact]
    public void Update_Minibatches_HoldWholeTrajectoriesInTimeOrder()
    {
        const int steps = 3, envs = 6;
        var model = new TabularActorCritic(HandSegments.StateCount(steps, envs), 2);
        var first = HandSegments.Create(steps, 4, (_, _) => 1f);
        var second = HandSegments.Create(steps, 2, (_, _) => 1f);
        Renumber(second, offset: 4, envs);
        Renumber(first, offset: 0, envs);
        HandSegments.ActOnPolicy(first, model);
        HandSegments.ActOnPolicy(second, model);
        var options = _handOptions with { NumMinibatches = 3, UpdateEpochs = 2 };
        var learner = new AppoLearner<float, int>(model, options, HandShape(envs, steps), new RandomSource(7));

        learner.Update([first, second]);

        Assert.Equal(6, model.EvaluatedObservations.Count);
        for (var epoch = 0; epoch < 2; epoch++)
        {
            var seen = new List<int>();
            for (var m = 0; m < 3; m++)
            {
                var observations = model.EvaluatedObservations[(epoch * 3) + m];
                Assert.Equal(steps * 2, observations.Length);
                for (var k = 0; k < 2; k++)
                {
                    var env = (int)observations[k];
                    for (var t = 0; t < steps; t++)
                    {
                        Assert.Equal(HandSegments.State(t, env, envs), (int)observations[(t * 2) + k]);
                    }

                    seen.Add(env);
                }
            }

            Assert.Equal(Enumerable.Range(0, envs), seen.Order());
        }
    }

    [Fact]
    public void Update_EachUpdate_IncrementsVersionAndSnapshotCarriesWeights()
    {
        var model = new TabularActorCritic(HandSegments.StateCount(2, 2), 2);
        var learner = new AppoLearner<float, int>(model, _handOptions, HandShape(2, 2), new RandomSource(1));
        Assert.Equal(PolicyVersion.Initial, learner.Version);

        for (var expected = 1; expected <= 2; expected++)
        {
            var segment = HandSegments.Create(2, 2, (t, i) => t + i, learner.Version);
            HandSegments.ActOnPolicy(segment, model);
            var statistics = learner.Update([segment]);
            Assert.Equal(expected, statistics.PolicyVersion);
            Assert.Equal(new PolicyVersion(expected), learner.Version);
            Assert.Equal(expected, learner.Progress.Updates);
            Assert.Equal(expected * 4, learner.Progress.TrainedSteps);
        }

        var snapshot = learner.Snapshot();
        Assert.Equal(learner.Version, snapshot.Version);
        var weights = new float[model.WeightCount];
        model.CopyWeightsTo(weights);
        Assert.Equal(weights, snapshot.Weights.ToArray());
        var copy = new TabularActorCritic(model.States, 2);
        copy.Load(snapshot);
        Assert.Equal(model.Probability(0, 0), copy.Probability(0, 0));
        Assert.Equal(model.Value(1), copy.Value(1));
    }

    [Fact]
    public void Update_StaleSegments_ReportsPolicyLagAndStatistics()
    {
        var model = new TabularActorCritic(HandSegments.StateCount(2, 3), 2);
        model.SetVersion(new PolicyVersion(5));
        var fresh = HandSegments.Create(2, 2, (t, i) => t, new PolicyVersion(5));
        var stale = HandSegments.Create(2, 1, (t, i) => t, new PolicyVersion(2));
        HandSegments.ActOnPolicy(fresh, model);
        HandSegments.ActOnPolicy(stale, model);
        var learner = new AppoLearner<float, int>(model, _handOptions, HandShape(3, 2), new RandomSource(1));

        var statistics = learner.Update([fresh, stale]);

        Assert.Equal(1.0, statistics.PolicyLag?.Mean); // (4 transitions × 0 + 2 × 3) / 6.
        Assert.Equal(3L, statistics.PolicyLag?.Max);
        Assert.Equal(6, statistics.PolicyVersion);
        Assert.True(double.IsFinite(statistics[ActorCriticStatistics.PolicyLoss]));
        Assert.True(double.IsFinite(statistics[ActorCriticStatistics.ValueLoss]));
        Assert.True(statistics[ActorCriticStatistics.Entropy] > 0);
        Assert.True(statistics[ActorCriticStatistics.GradientNorm] > 0);
        Assert.Equal(0.0, statistics[ActorCriticStatistics.ApproxKl], 6); // on-policy data: μ = π before the step.
    }

    [Fact]
    public void Update_SegmentNewerThanLearner_ThrowsNamingVersions()
    {
        var model = new TabularActorCritic(HandSegments.StateCount(2, 2), 2);
        var learner = new AppoLearner<float, int>(model, _handOptions, HandShape(2, 2), new RandomSource(1));
        var segment = HandSegments.Create(2, 2, (_, _) => 0f, new PolicyVersion(3));

        var error = Assert.Throws<ArgumentException>(() => learner.Update([segment]));

        Assert.Contains("v3", error.Message, StringComparison.Ordinal);
        Assert.Contains("v0", error.Message, StringComparison.Ordinal);
        Assert.Equal(PolicyVersion.Initial, learner.Version);
    }

    [Fact]
    public void Update_SegmentsOfDifferentLengths_Throws()
    {
        var model = new TabularActorCritic(HandSegments.StateCount(3, 2), 2);
        var learner = new AppoLearner<float, int>(model, _handOptions, HandShape(2, 3), new RandomSource(1));

        var error = Assert.Throws<ArgumentException>(() => learner.Update([HandSegments.Create(3, 1, (_, _) => 0f), HandSegments.Create(2, 1, (_, _) => 0f)]));

        Assert.Contains("layout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_SegmentForAnotherObservationSize_Throws()
    {
        var model = new TabularActorCritic(10, 2);
        var learner = new AppoLearner<float, int>(model, _handOptions, HandShape(1, 2), new RandomSource(1));
        var segment = new Segment<float, int>(new SegmentLayout(2, 1, 3, 1));

        Assert.Throws<ArgumentException>(() => learner.Update([segment]));
    }

    [Fact]
    public void Update_NoSegments_Throws()
    {
        var learner = new AppoLearner<float, int>(new TabularActorCritic(4, 2), _handOptions, HandShape(1, 1), new RandomSource(1));

        Assert.Throws<ArgumentException>(() => learner.Update([]));
    }

    [Fact]
    public void Constructor_FewerTrajectoriesThanMinibatches_ThrowsNamingBoth()
    {
        // Minibatches hold whole trajectories, so a shape of 2 trajectories cannot be split into 4: refused before any update.
        var model = new TabularActorCritic(HandSegments.StateCount(2, 2), 2);

        var error = Assert.Throws<ArgumentException>(() => new AppoLearner<float, int>(model, _handOptions with { NumMinibatches = 4 }, HandShape(2, 2), new RandomSource(1)));

        Assert.Equal(nameof(AppoOptions.NumMinibatches), error.ParamName);
        Assert.Contains("got 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("the 2 env trajectories", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FewerTrajectoriesThanMinibatches_ThrowsNamingBoth()
    {
        var options = _handOptions with { NumMinibatches = 4 };

        var error = Assert.Throws<ArgumentException>(() => options.Validate(HandShape(2, 2)));

        Assert.Equal(nameof(AppoOptions.NumMinibatches), error.ParamName);
        Assert.Contains("got 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("the 2 env trajectories", error.Message, StringComparison.Ordinal);
        options.Validate(HandShape(4, 2)); // as many minibatches as trajectories: one trajectory each.
    }

    [Theory]
    [InlineData(new[] { 3 }, 2)] // more trajectories than the shape's 2
    [InlineData(new[] { 1, 1, 1 }, 2)] // three one-env segments
    [InlineData(new[] { 2 }, 3)] // longer trajectories than the shape's 2 steps
    public void Update_BatchOfAnotherShape_ThrowsNamingBothShapes(int[] envsPerSegment, int steps)
    {
        var model = new TabularActorCritic(HandSegments.StateCount(steps, envsPerSegment.Sum()), 2);
        var learner = new AppoLearner<float, int>(model, _handOptions, HandShape(2, 2), new RandomSource(1));
        var segments = envsPerSegment.Select(envs => HandSegments.Create(steps, envs, (_, _) => 0f)).ToArray();

        var error = Assert.Throws<ArgumentException>(() => learner.Update(segments));

        Assert.Contains("APPO", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 env trajectories × 2 steps", error.Message, StringComparison.Ordinal);
        Assert.Contains($"got {envsPerSegment.Sum()} × {steps}", error.Message, StringComparison.Ordinal);
        Assert.Equal(PolicyVersion.Initial, learner.Version);
        Assert.Equal(0, learner.Progress.Updates);
        Assert.Empty(model.EvaluatedObservations);
    }

    [Theory]
    [InlineData(nameof(AppoOptions.RhoBar))]
    [InlineData(nameof(AppoOptions.CBar))]
    [InlineData(nameof(AppoOptions.NumMinibatches))]
    [InlineData(nameof(AppoOptions.ClipCoef))]
    [InlineData(nameof(AppoOptions.LearningRate))]
    public void Constructor_InvalidOption_ThrowsNamingIt(string option)
    {
        var options = option switch
        {
            nameof(AppoOptions.RhoBar) => _handOptions with { RhoBar = 0 },
            nameof(AppoOptions.CBar) => _handOptions with { CBar = -1 },
            nameof(AppoOptions.NumMinibatches) => _handOptions with { NumMinibatches = 0 },
            nameof(AppoOptions.ClipCoef) => _handOptions with { ClipCoef = 0 },
            _ => _handOptions with { LearningRate = double.NaN },
        };

        var error = Assert.Throws<ArgumentException>(() => new AppoLearner<float, int>(new TabularActorCritic(4, 2), options, HandShape(2, 2), new RandomSource(1)));

        Assert.Equal(option, error.ParamName);
    }

    /// <summary>Batches of <paramref name="trajectories"/> env trajectories × <paramref name="steps"/> steps over <see cref="HandBudget"/>.</summary>
    private static LearnerShape HandShape(int trajectories, int steps) => new(trajectories, steps, HandBudget);

    private static void Renumber(Segment<float, int> segment, int offset, int envs)
    {
        var (steps, width) = (segment.Layout.Steps, segment.Layout.Envs);
        for (var t = 0; t < steps; t++)
        {
            for (var i = 0; i < width; i++)
            {
                segment.Observations[(t * width) + i] = HandSegments.State(t, offset + i, envs);
            }
        }

        for (var i = 0; i < width; i++)
        {
            segment.BootstrapObservations[i] = HandSegments.BootstrapState(offset + i, steps, envs);
        }
    }
}
