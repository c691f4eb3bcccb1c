using System.Text.Json;
using Tempo.Algorithms.Replay;
using Tempo.Algorithms.Sac;
using Tempo.Algorithms.Tests.Replay;
using Tempo.Core.Seeding;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Sac;

/// <summary>One SAC update's critic, actor and α losses and gradients against PyTorch (tests/fixtures/torch/generate_offpolicy.py's sac()).</summary>
public sealed class SacFixtureTests
{
    private const int Batch = 8;
    private const int ObservationSize = 3;
    private const int ActionSize = 2;

    [Fact]
    public void CriticLossAndGradientsMatchTorch()
    {
        using var document = OffPolicyFixtures.Load("sac.json");
        var fixture = document.RootElement;
        var (learner, batch) = Build(fixture);

        var (qf1Loss, qf2Loss, _, _) = learner.ComputeCriticGradients(batch, FixtureTensor.Read(fixture, "next_noise").Floats);

        var reference = new SacReference(fixture, ObservationSize, ActionSize).Critic();
        Float32Bounds.AssertWithin(fixture.GetProperty("qf1_loss").GetDouble(), qf1Loss, reference.Qf1Loss.Bound, "qf1 loss");
        Float32Bounds.AssertWithin(fixture.GetProperty("qf2_loss").GetDouble(), qf2Loss, reference.Qf2Loss.Bound, "qf2 loss");
        AssertGradients(learner, fixture.GetProperty("critic_gradients"), reference.Gradients);
    }

    [Fact]
    public void ActorLossAndGradientsMatchTorch()
    {
        using var document = OffPolicyFixtures.Load("sac.json");
        var fixture = document.RootElement;
        var (learner, batch) = Build(fixture);

        var loss = learner.ComputeActorGradients(batch, FixtureTensor.Read(fixture, "actor_noise").Floats);

        var reference = new SacReference(fixture, ObservationSize, ActionSize).ActorStep();
        Float32Bounds.AssertWithin(fixture.GetProperty("actor_loss").GetDouble(), loss, reference.Loss.Bound, "actor loss");
        AssertGradients(learner, fixture.GetProperty("actor_gradients"), reference.Gradients);
    }

    [Fact]
    public void AlphaLossAndGradientMatchTorch()
    {
        using var document = OffPolicyFixtures.Load("sac.json");
        var fixture = document.RootElement;
        var (learner, batch) = Build(fixture);

        var loss = learner.ComputeAlphaGradient(batch, FixtureTensor.Read(fixture, "alpha_noise").Floats);

        var reference = new SacReference(fixture, ObservationSize, ActionSize).AlphaStep();
        Float32Bounds.AssertWithin(fixture.GetProperty("alpha_loss").GetDouble(), loss, reference.Loss.Bound, "alpha loss");
        Float32Bounds.AssertWithin(fixture.GetProperty("log_alpha_gradient").GetDouble(), learner.LogAlpha.Gradient.Span[0], reference.Gradient.Bound, "log alpha gradient");
    }

    [Fact]
    public void DeterministicActionIsTheSquashedMean()
    {
        var actor = new SacActor(ObservationSize, ActionSize, [8], new Random(3));
        var policy = new SacPolicy(actor, [-2f, -1f], [2f, 3f], new SacOptions(), new Random(4));
        float[] observation = [0.3f, -0.7f, 1.1f];
        var actions = new float[ActionSize];

        policy.Act(observation, 1, Policies.ActionSelection.Deterministic, actions, new float[1], new float[1]);

        var meanLogStd = actor.Forward(new Nn.Tensors.Tensor(observation, 1, ObservationSize)).Span;
        Assert.Equal(MathF.Tanh(meanLogStd[0]) * 2f, actions[0], 1e-6);
        Assert.Equal((MathF.Tanh(meanLogStd[1]) * 2f) + 1f, actions[1], 1e-6);
    }

    [Fact]
    public void UnboundedActionSpaceIsRejectedNamingTheDimension()
    {
        var error = Assert.Throws<ArgumentException>(() => SacLearner.ActionBox([-1f, float.NegativeInfinity], [1f, 1f], 2));

        Assert.Contains("dimension 1", error.Message, StringComparison.Ordinal);
    }

    private static (SacLearner Learner, ReplayBatch<float, float> Batch) Build(JsonElement fixture)
    {
        var hidden = fixture.GetProperty("hidden_sizes").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var learner = new SacLearner(
            new SacActor(ObservationSize, ActionSize, hidden, new Random(1)),
            new SoftQNetwork(ObservationSize, ActionSize, hidden, new Random(2)),
            new SoftQNetwork(ObservationSize, ActionSize, hidden, new Random(3)),
            FixtureTensor.Read(fixture, "low").Floats,
            FixtureTensor.Read(fixture, "high").Floats,
            new SacOptions { BatchSize = Batch, BufferSize = Batch, Gamma = fixture.GetProperty("gamma").GetDouble() },
            new RandomSource(1));
        var state = fixture.GetProperty("state");
        foreach (var parameter in learner.Parameters)
        {
            FixtureTensor.Read(state, parameter.Name).Floats.CopyTo(parameter.Parameter.Value.Span);
        }

        var batch = new ReplayBatch<float, float>(Batch, ObservationSize, ActionSize);
        FixtureTensor.Read(fixture, "observations").Floats.CopyTo(batch.Observations, 0);
        FixtureTensor.Read(fixture, "next_observations").Floats.CopyTo(batch.NextObservations, 0);
        FixtureTensor.Read(fixture, "actions").Floats.CopyTo(batch.Actions, 0);
        FixtureTensor.Read(fixture, "rewards").Floats.CopyTo(batch.Rewards, 0);
        FixtureTensor.Read(fixture, "discounts").Floats.CopyTo(batch.Discounts, 0);
        return (learner, batch);
    }

    /// <summary>
    /// Tempo's gradients against PyTorch's within 2E (both within E of exact, SacReference), and PyTorch's within E of the
    /// exact gradient: a check of the reference itself, independent of Tempo.
    /// </summary>
    private static void AssertGradients(SacLearner learner, JsonElement gradients, Dictionary<string, (double[] Gradient, double[] Error)> reference)
    {
        var compared = 0;
        foreach (var (name, parameter) in learner.Parameters.Select(p => (p.Name, p.Parameter)))
        {
            if (!gradients.TryGetProperty(name, out _))
            {
                continue;
            }

            compared++;
            var expected = FixtureTensor.Read(gradients, name).Data;
            var (exact, error) = reference[name];
            for (var i = 0; i < expected.Length; i++)
            {
                Float32Bounds.AssertWithin(exact[i], expected[i], error[i], $"torch {name}[{i}] against the exact reference");
            }

            Float32Bounds.AssertWithin(expected, parameter.Gradient.Span, error.Select(e => 2 * e).ToArray(), name);
        }

        Assert.Equal(gradients.EnumerateObject().Count(), compared);
    }
}
