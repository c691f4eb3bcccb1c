using System.Text.Json;
using Tempo.Algorithms.Replay;
using Tempo.Algorithms.Sac;
using Tempo.Algorithms.Tests.Replay;
using Tempo.Core.Seeding;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Sac;

/// <summary>One discrete SAC update's critic, actor and α losses and gradients against PyTorch (generate_offpolicy.py's discrete_sac(): three seeds and shapes).</summary>
public sealed class DiscreteSacFixtureTests
{
    public static TheoryData<string> Cases => ["cartpole_like", "wide", "deep"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void CriticLossAndGradientsMatchTorch(string name)
    {
        using var document = OffPolicyFixtures.Load("sac_discrete.json");
        var fixture = document.RootElement.GetProperty(name);
        var (learner, batch) = Build(fixture);

        var (qf1Loss, qf2Loss, _, _) = learner.ComputeCriticGradients(batch);

        var reference = new DiscreteSacReference(fixture).Critic();
        Float32Bounds.AssertWithin(fixture.GetProperty("qf1_loss").GetDouble(), qf1Loss, reference.Qf1Loss.Bound, "qf1 loss");
        Float32Bounds.AssertWithin(fixture.GetProperty("qf2_loss").GetDouble(), qf2Loss, reference.Qf2Loss.Bound, "qf2 loss");
        AssertGradients(learner, fixture.GetProperty("critic_gradients"), reference.Gradients);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ActorAndAlphaLossesAndGradientsMatchTorch(string name)
    {
        using var document = OffPolicyFixtures.Load("sac_discrete.json");
        var fixture = document.RootElement.GetProperty(name);
        var (learner, batch) = Build(fixture);

        var actorLoss = learner.ComputeActorGradients(batch);
        var alphaLoss = learner.ComputeAlphaGradient(batch.Size);

        var reference = new DiscreteSacReference(fixture);
        var actor = reference.ActorStep();
        var alpha = reference.AlphaStep();
        Float32Bounds.AssertWithin(fixture.GetProperty("actor_loss").GetDouble(), actorLoss, actor.Loss.Bound, "actor loss");
        AssertGradients(learner, fixture.GetProperty("actor_gradients"), actor.Gradients);
        Float32Bounds.AssertWithin(fixture.GetProperty("alpha_loss").GetDouble(), alphaLoss, alpha.Loss.Bound, "alpha loss");
        Float32Bounds.AssertWithin(fixture.GetProperty("log_alpha_gradient").GetDouble(), learner.LogAlpha.Gradient.Span[0], alpha.Gradient.Bound, "log alpha gradient");
    }

    [Fact]
    public void TargetEntropyIsTheScaledLogOfTheActionCount()
    {
        using var document = OffPolicyFixtures.Load("sac_discrete.json");
        foreach (var fixture in document.RootElement.EnumerateObject().Select(p => p.Value))
        {
            var options = new DiscreteSacOptions { TargetEntropyScale = fixture.GetProperty("target_entropy_scale").GetDouble() };

            Assert.Equal(fixture.GetProperty("target_entropy").GetDouble(), options.TargetEntropy(fixture.GetProperty("actions_count").GetInt32()), 1e-6);
        }
    }

    [Fact]
    public void GreedyEvaluationTakesTheMostProbableAction()
    {
        var actor = DiscreteSacNetworks.MlpActor(3, 4, [8], new Random(5));
        var policy = new DiscreteSacPolicy(actor, 3, 4, new DiscreteSacOptions { LearningStarts = 0 }, new Random(6));
        float[] observations = [0.3f, -0.7f, 1.1f, -1.5f, 0.2f, 0.9f];
        var actions = new int[2];

        policy.Act(observations, 2, Policies.ActionSelection.Deterministic, actions, new float[2], new float[2]);

        var logits = actor.Forward(new Nn.Tensors.Tensor(observations, 2, 3)).Span.ToArray();
        Assert.Equal(Array.IndexOf(logits[..4], logits[..4].Max()), actions[0]);
        Assert.Equal(Array.IndexOf(logits[4..], logits[4..].Max()), actions[1]);
    }

    [Fact]
    public void ScaleOutsideZeroToOneIsRejectedNamingTheKey()
    {
        var error = Assert.Throws<ArgumentException>(() => new DiscreteSacOptions { TargetEntropyScale = 1.5 }.Validate());

        Assert.Contains("target-entropy-scale", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.5", error.Message, StringComparison.Ordinal);
    }

    private static (DiscreteSacLearner Learner, ReplayBatch<float, int> Batch) Build(JsonElement fixture)
    {
        var size = fixture.GetProperty("batch").GetInt32();
        var observationSize = fixture.GetProperty("observation_size").GetInt32();
        var actions = fixture.GetProperty("actions_count").GetInt32();
        var hidden = fixture.GetProperty("hidden_sizes").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var options = new DiscreteSacOptions
        {
            BatchSize = size,
            BufferSize = size,
            Gamma = fixture.GetProperty("gamma").GetDouble(),
            TargetEntropyScale = fixture.GetProperty("target_entropy_scale").GetDouble(),
        };
        var learner = new DiscreteSacLearner(DiscreteSacNetworks.Mlp(observationSize, actions, hidden, new Random(1)), options, new RandomSource(1));
        var state = fixture.GetProperty("state");
        foreach (var parameter in learner.Parameters)
        {
            FixtureTensor.Read(state, parameter.Name).Floats.CopyTo(parameter.Parameter.Value.Span);
        }

        var batch = new ReplayBatch<float, int>(size, observationSize, 1);
        FixtureTensor.Read(fixture, "observations").Floats.CopyTo(batch.Observations, 0);
        FixtureTensor.Read(fixture, "next_observations").Floats.CopyTo(batch.NextObservations, 0);
        var taken = FixtureTensor.Read(fixture, "actions").Data;
        for (var b = 0; b < size; b++)
        {
            batch.Actions[b] = (int)taken[b];
        }

        FixtureTensor.Read(fixture, "rewards").Floats.CopyTo(batch.Rewards, 0);
        FixtureTensor.Read(fixture, "discounts").Floats.CopyTo(batch.Discounts, 0);
        return (learner, batch);
    }

    /// <summary>
    /// Tempo's gradients against PyTorch's within 2E (both within E of exact, DiscreteSacReference), and PyTorch's within E
    /// of the exact gradient: a check of the reference itself, independent of Tempo.
    /// </summary>
    private static void AssertGradients(DiscreteSacLearner learner, JsonElement gradients, Dictionary<string, (double[] Gradient, double[] Error)> reference)
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
