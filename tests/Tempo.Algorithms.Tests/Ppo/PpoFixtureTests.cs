using System.Text.Json;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Ppo;
using Tempo.Nn.Optimizers;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Ppo;

/// <summary>One CleanRL PPO minibatch step against PyTorch: outputs, loss terms, every gradient, the clipped Adam step.</summary>
public sealed class PpoFixtureTests
{
    private const double Relative = 1e-4;
    private const double Absolute = 1e-5;

    [Fact]
    public void MinibatchStep_CleanRlFixture_MatchesPyTorch()
    {
        using var document = FixtureTensor.Load(FixturePaths.Torch, "ppo_discrete.json");
        var root = document.RootElement;
        var hyper = root.GetProperty("hyper");
        var observations = FixtureTensor.Read(root, "obs");
        var batch = observations.Shape[0];
        var actions = root.GetProperty("actions").EnumerateArray().Select(a => a.GetInt32()).ToArray();

        var model = new CategoricalMlpActorCritic(4, 2, [64, 64], new Random(0));
        var parameters = root.GetProperty("params");
        foreach (var named in model.NamedParameters)
        {
            var expected = FixtureTensor.Read(parameters, named.Name);
            Assert.Equal(expected.Shape, named.Parameter.Value.Shape);
            expected.Floats.CopyTo(named.Parameter.Value.Span);
        }

        var newLogProbs = new float[batch];
        var entropy = new float[batch];
        var newValues = new float[batch];
        model.Evaluate(observations.Floats, actions, batch, newLogProbs, entropy, newValues);
        AssertClose(FixtureTensor.Read(root, "new_logprobs").Data, newLogProbs, "new_logprobs");
        AssertClose(FixtureTensor.Read(root, "entropy").Data, entropy, "entropy");
        AssertClose(FixtureTensor.Read(root, "new_values").Data, newValues, "new_values");

        var advantages = FixtureTensor.Read(root, "advantages").Floats;
        if (hyper.GetProperty("norm_adv").GetBoolean())
        {
            PpoLoss.NormalizeAdvantages(advantages, advantages);
        }

        var coefficients = new PpoLossCoefficients(
            (float)hyper.GetProperty("clip_coef").GetDouble(),
            (float)hyper.GetProperty("ent_coef").GetDouble(),
            (float)hyper.GetProperty("vf_coef").GetDouble(),
            hyper.GetProperty("clip_vloss").GetBoolean());
        var logProbGradients = new float[batch];
        var entropyGradients = new float[batch];
        var valueGradients = new float[batch];
        var terms = PpoLoss.Compute(
            newLogProbs, FixtureTensor.Read(root, "old_logprobs").Floats, advantages, entropy, newValues,
            FixtureTensor.Read(root, "old_values").Floats, FixtureTensor.Read(root, "returns").Floats, coefficients,
            logProbGradients, entropyGradients, valueGradients);
        AssertScalar(root, "pg_loss", terms.PolicyLoss);
        AssertScalar(root, "v_loss", terms.ValueLoss);
        AssertScalar(root, "entropy_loss", terms.Entropy);
        AssertScalar(root, "loss", terms.Loss);
        AssertScalar(root, "approx_kl", terms.ApproxKl);
        AssertScalar(root, "clipfrac", terms.ClipFraction);

        var parameterList = model.NamedParameters.Select(p => p.Parameter).ToArray();
        Gradients.ZeroGrad(parameterList);
        model.Backward(logProbGradients, entropyGradients, valueGradients);
        var grads = root.GetProperty("grads");
        foreach (var named in model.NamedParameters)
        {
            AssertClose(FixtureTensor.Read(grads, named.Name).Data, named.Parameter.Gradient.Span.ToArray(), $"grad {named.Name}");
        }

        var norm = Gradients.ClipGradNorm(parameterList, (float)hyper.GetProperty("max_grad_norm").GetDouble());
        AssertScalar(root, "grad_norm_before_clip", norm);
        var adam = new Adam(model.NamedParameters, new AdamOptions
        {
            LearningRate = hyper.GetProperty("lr").GetDouble(),
            Epsilon = hyper.GetProperty("adam_eps").GetDouble(),
        });
        adam.Step();
        var after = root.GetProperty("params_after_adam_step");
        foreach (var named in model.NamedParameters)
        {
            AssertClose(FixtureTensor.Read(after, named.Name).Data, named.Parameter.Value.Span.ToArray(), $"param after step {named.Name}");
        }
    }

    private static void AssertScalar(JsonElement root, string name, double actual)
    {
        var expected = root.GetProperty(name).GetDouble();
        Assert.True(Math.Abs(expected - actual) <= Absolute + (Relative * Math.Abs(expected)), $"{name}: expected {expected}, got {actual}");
    }

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= Absolute + (Relative * Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }
}
