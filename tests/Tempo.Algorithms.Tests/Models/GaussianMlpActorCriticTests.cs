using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Algorithms.Tests.Models;

public sealed class GaussianMlpActorCriticTests
{
    private const int ObservationSize = 3;
    private const int ActionSize = 2;
    private const int Hidden = 5;
    private const int Batch = 4;
    private static readonly double _logSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    public enum LossTerm
    {
        LogProb,
        Entropy,
        Value,
        All,
    }

    [Fact]
    public void NamedParameters_FollowCleanRlsModule()
    {
        var model = new GaussianMlpActorCritic(ObservationSize, ActionSize, [Hidden], new RandomSource(1));

        Assert.Equal(
            ["critic.0.weight", "critic.0.bias", "critic.2.weight", "critic.2.bias", "actor_mean.0.weight", "actor_mean.0.bias", "actor_mean.2.weight", "actor_mean.2.bias", "actor_logstd"],
            model.NamedParameters.Select(p => p.Name));
        Assert.Equal([1, ActionSize], Parameter(model, "actor_logstd").Value.Shape);
        Assert.All(Parameter(model, "actor_logstd").Value.Span.ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(model.NamedParameters.Sum(p => p.Parameter.Value.Length), model.WeightCount);
    }

    [Theory]
    [InlineData(LossTerm.LogProb)]
    [InlineData(LossTerm.Entropy)]
    [InlineData(LossTerm.Value)]
    [InlineData(LossTerm.All)]
    public void Backward_MatchesFiniteDifferencesOfEvaluate(LossTerm term)
    {
        // L = Σ_b α_b log π(a_b | s_b) + β_b H(s_b) + γ_b V(s_b); Backward(α, β, γ) must give ∂L/∂θ for every θ.
        var random = new RandomSource(11);
        var model = RandomizedModel(random);
        var observations = Uniform(random, Batch * ObservationSize, 1.5);
        var actions = Uniform(random, Batch * ActionSize, 2.0);
        var alpha = term is LossTerm.LogProb or LossTerm.All ? Uniform(random, Batch, 1) : new float[Batch];
        var beta = term is LossTerm.Entropy or LossTerm.All ? Uniform(random, Batch, 1) : new float[Batch];
        var gamma = term is LossTerm.Value or LossTerm.All ? Uniform(random, Batch, 1) : new float[Batch];
        var parameters = model.NamedParameters.Select(p => p.Parameter).ToArray();

        Gradients.ZeroGrad(parameters);
        Loss(model, observations, actions, alpha, beta, gamma);
        model.Backward(alpha, beta, gamma);

        const float H = 3e-3f;
        foreach (var named in model.NamedParameters)
        {
            var values = named.Parameter.Value.Span;
            var analytic = named.Parameter.Gradient.Span.ToArray();
            for (var j = 0; j < values.Length; j++)
            {
                var original = values[j];
                values[j] = original + H;
                var plus = Loss(model, observations, actions, alpha, beta, gamma);
                values[j] = original - H;
                var minus = Loss(model, observations, actions, alpha, beta, gamma);
                values[j] = original;
                var numeric = (plus - minus) / (2 * H);
                var tolerance = 1e-3 + (1e-2 * Math.Abs(analytic[j]));
                Assert.True(
                    Math.Abs(numeric - analytic[j]) <= tolerance,
                    $"{term}: ∂L/∂{named.Name}[{j}] is {analytic[j]} by Backward but {numeric} by finite differences.");
            }
        }
    }

    [Fact]
    public void Backward_LogStdGradient_IsNonTrivial()
    {
        // Guards the finite-difference test against passing on gradients that are all zero.
        var random = new RandomSource(11);
        var model = RandomizedModel(random);
        var observations = Uniform(random, Batch * ObservationSize, 1.5);
        var actions = Uniform(random, Batch * ActionSize, 2.0);
        Gradients.ZeroGrad(model.NamedParameters.Select(p => p.Parameter).ToArray());
        Loss(model, observations, actions, Uniform(random, Batch, 1), Uniform(random, Batch, 1), Uniform(random, Batch, 1));

        model.Backward(Uniform(random, Batch, 1), Uniform(random, Batch, 1), Uniform(random, Batch, 1));

        Assert.All(Parameter(model, "actor_logstd").Gradient.Span.ToArray(), g => Assert.True(Math.Abs(g) > 1e-3));
        Assert.Contains(Parameter(model, "actor_mean.0.weight").Gradient.Span.ToArray(), g => Math.Abs(g) > 1e-3);
    }

    [Fact]
    public void Act_Deterministic_TakesTheMeanOfANaiveForwardPass()
    {
        var random = new RandomSource(5);
        var model = RandomizedModel(random);
        var observations = Uniform(random, Batch * ObservationSize, 1.5);
        var actions = new float[Batch * ActionSize];
        var logProbs = new float[Batch];
        var values = new float[Batch];

        model.Act(observations, Batch, ActionSelection.Deterministic, actions, logProbs, values);

        var logStd = Parameter(model, "actor_logstd").Value.Span.ToArray();
        for (var b = 0; b < Batch; b++)
        {
            var observation = observations.AsSpan(b * ObservationSize, ObservationSize).ToArray();
            var mean = NaiveMlp(model, "actor_mean", observation);
            for (var j = 0; j < ActionSize; j++)
            {
                Assert.Equal(mean[j], actions[(b * ActionSize) + j], 5);
            }

            // At the mean the density is Π 1 / (σ √(2π)).
            Assert.Equal(logStd.Sum(s => -s - _logSqrtTwoPi), logProbs[b], 5);
            Assert.Equal(NaiveMlp(model, "critic", observation)[0], values[b], 5);
        }
    }

    [Fact]
    public void Act_Sample_ReportsTheLogDensityOfTheSampledAction()
    {
        var random = new RandomSource(6);
        var model = RandomizedModel(random);
        var observations = Uniform(random, Batch * ObservationSize, 1.5);
        var actions = new float[Batch * ActionSize];
        var logProbs = new float[Batch];
        var values = new float[Batch];

        model.Act(observations, Batch, ActionSelection.Sample, actions, logProbs, values);

        var logStd = Parameter(model, "actor_logstd").Value.Span.ToArray();
        for (var b = 0; b < Batch; b++)
        {
            var mean = NaiveMlp(model, "actor_mean", observations.AsSpan(b * ObservationSize, ObservationSize).ToArray());
            double expected = 0;
            for (var j = 0; j < ActionSize; j++)
            {
                var z = (actions[(b * ActionSize) + j] - mean[j]) / Math.Exp(logStd[j]);
                expected += (-0.5 * z * z) - logStd[j] - _logSqrtTwoPi;
            }

            Assert.Equal(expected, logProbs[b], 4);
            Assert.NotEqual(mean[0], actions[b * ActionSize], 3);
        }
    }

    [Fact]
    public void Load_SnapshotOfAnotherModel_RoundTripsTheWeights()
    {
        var source = RandomizedModel(new RandomSource(1));
        var target = new GaussianMlpActorCritic(ObservationSize, ActionSize, [Hidden], new RandomSource(2));
        var weights = new float[source.WeightCount];
        source.CopyWeightsTo(weights);

        target.Load(new PolicySnapshot(new PolicyVersion(5), weights));

        var copied = new float[target.WeightCount];
        target.CopyWeightsTo(copied);
        Assert.Equal(weights, copied);
        Assert.Equal(new PolicyVersion(5), target.Version);
        Assert.Equal(
            Parameter(source, "actor_logstd").Value.Span.ToArray(),
            Parameter(target, "actor_logstd").Value.Span.ToArray());

        var observations = Uniform(new RandomSource(3), Batch * ObservationSize, 1.5);
        var (sourceActions, sourceLogProbs, sourceValues) = Deterministic(source, observations);
        var (targetActions, targetLogProbs, targetValues) = Deterministic(target, observations);
        Assert.Equal(sourceActions, targetActions);
        Assert.Equal(sourceLogProbs, targetLogProbs);
        Assert.Equal(sourceValues, targetValues);
    }

    [Fact]
    public void Load_SnapshotOfAnotherSize_ThrowsNamingBothSizes()
    {
        var model = new GaussianMlpActorCritic(ObservationSize, ActionSize, [Hidden], new RandomSource(1));

        var error = Assert.Throws<ArgumentException>(() => model.Load(new PolicySnapshot(PolicyVersion.Initial, new float[model.WeightCount + 1])));

        Assert.Contains(model.WeightCount.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Contains((model.WeightCount + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Fact]
    public void Backward_BeforeEvaluate_Throws()
    {
        var model = new GaussianMlpActorCritic(ObservationSize, ActionSize, [Hidden], new RandomSource(1));

        Assert.Throws<InvalidOperationException>(() => model.Backward(new float[1], new float[1], new float[1]));
    }

    /// <summary>A model whose every parameter is uniform in ±0.8 (the default policy head is too small to test gradients through).</summary>
    private static GaussianMlpActorCritic RandomizedModel(Random random)
    {
        var model = new GaussianMlpActorCritic(ObservationSize, ActionSize, [Hidden], random);
        foreach (var named in model.NamedParameters)
        {
            Uniform(random, named.Parameter.Value.Length, 0.8).CopyTo(named.Parameter.Value.Span);
        }

        return model;
    }

    private static double Loss(GaussianMlpActorCritic model, float[] observations, float[] actions, float[] alpha, float[] beta, float[] gamma)
    {
        var logProbs = new float[Batch];
        var entropy = new float[Batch];
        var values = new float[Batch];
        model.Evaluate(observations, actions, Batch, logProbs, entropy, values);
        double loss = 0;
        for (var b = 0; b < Batch; b++)
        {
            loss += ((double)alpha[b] * logProbs[b]) + ((double)beta[b] * entropy[b]) + ((double)gamma[b] * values[b]);
        }

        return loss;
    }

    /// <summary>y = W₂ tanh(W₁ x + b₁) + b₂ in double, from the named PyTorch-layout ([out, in]) parameters.</summary>
    private static double[] NaiveMlp(GaussianMlpActorCritic model, string prefix, float[] input)
    {
        var hidden = Affine(Parameter(model, $"{prefix}.0.weight"), Parameter(model, $"{prefix}.0.bias"), input.Select(v => (double)v).ToArray());
        return Affine(Parameter(model, $"{prefix}.2.weight"), Parameter(model, $"{prefix}.2.bias"), hidden.Select(Math.Tanh).ToArray());
    }

    private static double[] Affine(Parameter weight, Parameter bias, double[] input)
    {
        var outputs = weight.Value.Dim(0);
        var inputs = weight.Value.Dim(1);
        var w = weight.Value.Span;
        var result = new double[outputs];
        for (var o = 0; o < outputs; o++)
        {
            double sum = bias.Value.Span[o];
            for (var i = 0; i < inputs; i++)
            {
                sum += w[(o * inputs) + i] * input[i];
            }

            result[o] = sum;
        }

        return result;
    }

    private static Parameter Parameter(GaussianMlpActorCritic model, string name) =>
        model.NamedParameters.Single(p => p.Name == name).Parameter;

    private static float[] Uniform(Random random, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => (float)(((random.NextDouble() * 2) - 1) * scale)).ToArray();

    private static (float[] Actions, float[] LogProbs, float[] Values) Deterministic(GaussianMlpActorCritic model, float[] observations)
    {
        var actions = new float[Batch * ActionSize];
        var logProbs = new float[Batch];
        var values = new float[Batch];
        model.Act(observations, Batch, ActionSelection.Deterministic, actions, logProbs, values);
        return (actions, logProbs, values);
    }
}
