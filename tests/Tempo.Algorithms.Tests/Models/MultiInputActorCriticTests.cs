using System.Globalization;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Core.Spaces;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Models;

public sealed class MultiInputActorCriticTests
{
    // The smallest frame the Nature CNN takes, two channels, plus three float features: a small SuperTux-like dict.
    private const int Channels = 2;
    private const int Size = 36;
    private const int Features = 3;
    private const int Actions = 3;
    private const int Hidden = 16;
    private const int Batch = 3;

    private static readonly DictSpace _space = new(new Dictionary<string, ISpace>
    {
        ["frames"] = new BoxSpace<byte>(0, 255, Channels, Size, Size),
        ["features"] = new BoxSpace<float>(-1, 1, Features),
    });

    public enum LossTerm
    {
        LogProb,
        Entropy,
        Value,
        All,
    }

    [Fact]
    public void NamedParameters_FollowSb3sCombinedExtractorAndCleanRlsHeads()
    {
        var model = MultiInputActorCritic.ForSpace(_space, Actions, new RandomSource(1), Hidden);

        Assert.Equal(
            ["extractors.features.0.weight", "extractors.features.0.bias", "extractors.features.2.weight", "extractors.features.2.bias",
                "extractors.frames.0.weight", "extractors.frames.0.bias", "extractors.frames.2.weight", "extractors.frames.2.bias",
                "extractors.frames.4.weight", "extractors.frames.4.bias", "extractors.frames.7.weight", "extractors.frames.7.bias",
                "actor.weight", "actor.bias", "critic.weight", "critic.bias"],
            model.NamedParameters.Select(p => p.Name));
        Assert.Equal([64, Features], Parameter(model, "extractors.features.0.weight").Value.Shape);
        Assert.Equal([32, Channels, 8, 8], Parameter(model, "extractors.frames.0.weight").Value.Shape);
        Assert.Equal([Actions, 64 + Hidden], Parameter(model, "actor.weight").Value.Shape);
        Assert.Equal([1, 64 + Hidden], Parameter(model, "critic.weight").Value.Shape);
        Assert.Equal(64 + Hidden, model.FeatureSize);
        Assert.Equal(_space.FlatSize, model.ObservationSize);
        Assert.Equal(model.NamedParameters.Sum(p => p.Parameter.Value.Length), model.WeightCount);
        Assert.All(model.NamedParameters.Where(p => p.Name.EndsWith("bias", StringComparison.Ordinal)), p => Assert.All(p.Parameter.Value.Span.ToArray(), v => Assert.Equal(0f, v)));
    }

    [Theory]
    [InlineData(LossTerm.LogProb)]
    [InlineData(LossTerm.Entropy)]
    [InlineData(LossTerm.Value)]
    [InlineData(LossTerm.All)]
    public void Backward_MatchesFiniteDifferencesOfEvaluate(LossTerm term)
    {
        // L = Σ_b α_b log π(a_b | s_b) + β_b H(s_b) + γ_b V(s_b); Backward(α, β, γ) must give ∂L/∂θ, in both encoders.
        var random = new RandomSource(21);
        var model = RandomizedModel(random);
        var observations = Observations(random, Batch);
        int[] actions = [0, 2, 1];
        var alpha = term is LossTerm.LogProb or LossTerm.All ? Uniform(random, Batch, 1) : new float[Batch];
        var beta = term is LossTerm.Entropy or LossTerm.All ? Uniform(random, Batch, 1) : new float[Batch];
        var gamma = term is LossTerm.Value or LossTerm.All ? Uniform(random, Batch, 1) : new float[Batch];

        Gradients.ZeroGrad(model.NamedParameters.Select(p => p.Parameter).ToArray());
        Loss(model, observations, actions, alpha, beta, gamma);
        model.Backward(alpha, beta, gamma);

        const float H = 1e-3f;
        var probes = new RandomSource(5);
        foreach (var named in model.NamedParameters)
        {
            var length = named.Parameter.Value.Length;
            var analytic = named.Parameter.Gradient.Span.ToArray();
            int[] indices = length <= 64 ? [.. Enumerable.Range(0, length)] : [.. Enumerable.Range(0, 12).Select(_ => probes.Next(length))];
            foreach (var j in indices)
            {
                var values = named.Parameter.Value.Span;
                var original = values[j];
                values[j] = original + H;
                var plus = Loss(model, observations, actions, alpha, beta, gamma);
                values[j] = original - H;
                var minus = Loss(model, observations, actions, alpha, beta, gamma);
                values[j] = original;
                var numeric = (plus - minus) / (2 * H);
                var tolerance = 2e-3 + (2e-2 * Math.Abs(analytic[j]));
                Assert.True(
                    Math.Abs(numeric - analytic[j]) <= tolerance,
                    $"{term}: ∂L/∂{named.Name}[{j}] is {analytic[j]} by Backward but {numeric} by finite differences.");
            }
        }
    }

    [Fact]
    public void Backward_ReachesEveryLayerOfBothEncoders()
    {
        var random = new RandomSource(22);
        var model = RandomizedModel(random);
        Gradients.ZeroGrad(model.NamedParameters.Select(p => p.Parameter).ToArray());
        Loss(model, Observations(random, Batch), [0, 2, 1], Uniform(random, Batch, 1), Uniform(random, Batch, 1), Uniform(random, Batch, 1));

        model.Backward(Uniform(random, Batch, 1), Uniform(random, Batch, 1), Uniform(random, Batch, 1));

        Assert.All(model.NamedParameters, p => Assert.Contains(p.Parameter.Gradient.Span.ToArray(), g => Math.Abs(g) > 1e-5));
    }

    [Fact]
    public void ActAndEvaluate_EqualANaiveDoublePrecisionForward()
    {
        // The reference: pixels / 255 through three naive valid convolutions and a ReLU fc layer; features as they are
        // through two tanh layers; concatenated in name order (features, then frames) into both linear heads.
        var random = new RandomSource(8);
        var model = RandomizedModel(random);
        var observations = Observations(random, Batch);
        var actions = new int[Batch];
        var logProbs = new float[Batch];
        var values = new float[Batch];
        var evaluatedLogProbs = new float[Batch];
        var entropy = new float[Batch];
        var evaluatedValues = new float[Batch];

        model.Act(observations, Batch, ActionSelection.Deterministic, actions, logProbs, values);
        model.Evaluate(observations, actions, Batch, evaluatedLogProbs, entropy, evaluatedValues);

        for (var b = 0; b < Batch; b++)
        {
            var observation = observations.AsSpan(b * _space.FlatSize, _space.FlatSize);
            var pixels = _space["frames"].Read<byte>(observation).ToArray().Select(p => p / 255.0).ToArray();
            var features = _space["features"].Read<float>(observation).ToArray().Select(f => (double)f).ToArray();
            var encodedFeatures = Affine(model, "extractors.features.2", Affine(model, "extractors.features.0", features).Select(Math.Tanh).ToArray()).Select(Math.Tanh);
            var encodedFrames = NaiveCnn(model, pixels);
            double[] joined = [.. encodedFeatures, .. encodedFrames];
            var logits = Affine(model, "actor", joined);
            var value = Affine(model, "critic", joined)[0];
            var best = Array.IndexOf(logits, logits.Max());
            var logSumExp = Math.Log(logits.Sum(z => Math.Exp(z - logits.Max()))) + logits.Max();
            var probabilities = logits.Select(z => Math.Exp(z - logSumExp)).ToArray();
            Assert.Equal(best, actions[b]);
            Assert.Equal(logits[best] - logSumExp, logProbs[b], 4);
            Assert.Equal(logits[best] - logSumExp, evaluatedLogProbs[b], 4);
            Assert.Equal(-probabilities.Sum(p => p * Math.Log(p)), entropy[b], 4);
            Assert.Equal(value, values[b], 4);
            Assert.Equal(value, evaluatedValues[b], 4);
        }
    }

    [Fact]
    public void EstimateValues_EqualsTheValuesOfAct()
    {
        var random = new RandomSource(10);
        var model = RandomizedModel(random);
        var observations = Observations(random, Batch);
        var values = new float[Batch];
        var estimated = new float[Batch];

        model.Act(observations, Batch, ActionSelection.Sample, new int[Batch], new float[Batch], values);
        model.EstimateValues(observations, Batch, estimated);

        Assert.Equal(values, estimated);
    }

    [Fact]
    public void Load_SnapshotOfAnotherModel_RoundTripsTheWeightsAndOutputs()
    {
        var random = new RandomSource(11);
        var source = RandomizedModel(random);
        var target = MultiInputActorCritic.ForSpace(_space, Actions, new RandomSource(12), Hidden);
        source.SetVersion(new PolicyVersion(7));

        target.Load(source.TakeSnapshot());

        Assert.Equal(new PolicyVersion(7), target.Version);
        AssertSameBehaviour(source, target, Observations(random, Batch));
    }

    [Fact]
    public void NamedParameters_SaveThenLoadByNameIntoAFreshModel_RestoresBehaviour()
    {
        var random = new RandomSource(13);
        var source = RandomizedModel(random);
        var target = MultiInputActorCritic.ForSpace(_space, Actions, new RandomSource(14), Hidden);
        var saved = source.NamedParameters.ToDictionary(p => p.Name, p => p.Parameter.Value.Span.ToArray());

        foreach (var named in target.NamedParameters)
        {
            saved[named.Name].CopyTo(named.Parameter.Value.Span);
        }

        AssertSameBehaviour(source, target, Observations(random, Batch));
    }

    [Fact]
    public void ForSpace_NotADict_ThrowsNamingTheSpace()
    {
        var error = Assert.Throws<ArgumentException>(() => MultiInputActorCritic.ForSpace(new BoxSpace<byte>(0, 255, 1, 84, 84), Actions, new RandomSource(1)));

        Assert.Contains("Box(0, 255, (1, 84, 84), uint8)", error.Message);
        Assert.Contains("dict", error.Message);
    }

    [Fact]
    public void ForSpace_ImagePartTooSmallOrChannelsLast_ThrowsNamingThePart()
    {
        var small = new DictSpace(new Dictionary<string, ISpace> { ["screen"] = new BoxSpace<byte>(0, 255, 1, 20, 84) });
        var rgb = new DictSpace(new Dictionary<string, ISpace> { ["screen"] = new BoxSpace<byte>(0, 255, 84, 84, 3) });

        var tooSmall = Assert.Throws<ArgumentException>(() => MultiInputActorCritic.ForSpace(small, Actions, new RandomSource(1)));
        var channelsLast = Assert.Throws<ArgumentException>(() => MultiInputActorCritic.ForSpace(rgb, Actions, new RandomSource(1)));

        Assert.Contains("'screen'", tooSmall.Message);
        Assert.Contains("20×84", tooSmall.Message);
        Assert.Contains("36×36", tooSmall.Message);
        Assert.Contains("GrayscaleObservation", channelsLast.Message);
    }

    [Fact]
    public void ForSpace_NonFloatVectorParts_AreTakenAsNumbers()
    {
        // A byte vector (not an image) and an int part go through MLPs; only [C, H, W]/[H, W] byte parts get a CNN.
        var space = new DictSpace(new Dictionary<string, ISpace> { ["lives"] = new DiscreteSpace(3), ["ram"] = new BoxSpace<byte>(0, 255, 8) });
        var model = MultiInputActorCritic.ForSpace(space, Actions, new RandomSource(1), Hidden);
        var observation = new byte[space.FlatSize];
        space.Sample(new RandomSource(2), observation);
        var values = new float[1];

        model.EstimateValues(observation, 1, values);

        Assert.Equal(2 * 64, model.FeatureSize);
        Assert.True(float.IsFinite(values[0]));
    }

    [Fact]
    public void Act_TooFewObservationBytes_ThrowsNamingTheSizes()
    {
        var model = MultiInputActorCritic.ForSpace(_space, Actions, new RandomSource(1), Hidden);

        var error = Assert.Throws<ArgumentException>(() => model.Act(new byte[(2 * _space.FlatSize) - 1], 2, ActionSelection.Sample, new int[2], new float[2], new float[2]));

        Assert.Equal("observations", error.ParamName);
        Assert.Contains((2 * _space.FlatSize).ToString(CultureInfo.InvariantCulture), error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.EstimateValues(new byte[_space.FlatSize], 0, new float[1]));
    }

    [Fact]
    public void Backward_BeforeEvaluateOrAfterAnAct_Throws()
    {
        var model = MultiInputActorCritic.ForSpace(_space, Actions, new RandomSource(1), Hidden);
        var observation = new byte[_space.FlatSize];

        Assert.Throws<InvalidOperationException>(() => model.Backward(new float[1], new float[1], new float[1]));
        model.Evaluate(observation, [1], 1, new float[1], new float[1], new float[1]);
        model.EstimateValues(observation, 1, new float[1]);
        Assert.Throws<InvalidOperationException>(() => model.Backward(new float[1], new float[1], new float[1]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Act_BatchesUpToTheLargestSeen_AllocateNothing(int threads)
    {
        using var parallelism = threads > 1 ? new KernelParallelism(threads) : null;
        var random = new RandomSource(15);
        var model = MultiInputActorCritic.ForSpace(_space, Actions, random, Hidden, parallelism);
        var observations = Observations(random, 8);
        var actions = new int[8];
        var logProbs = new float[8];
        var values = new float[8];
        void ActAtEveryBatchSize()
        {
            for (var batch = 8; batch >= 1; batch--)
            {
                model.Act(observations, batch, ActionSelection.Sample, actions, logProbs, values);
                model.EstimateValues(observations, batch, values);
            }
        }

        // The least of several rounds: tiered compilation may allocate on this thread when it swaps in a hot method (seen
        // once beside two CPU hogs); code that allocates in steady state does so in every round.
        Assert.Equal(0, Allocations.OnThisThread(ActAtEveryBatchSize, warmUp: 1, repetitions: 5));
    }

    [Fact]
    public void EvaluateAndBackward_WithTwoKernelThreads_MatchOneThread()
    {
        using var parallelism = new KernelParallelism(2);
        var random = new RandomSource(16);
        var observations = Observations(random, 16);
        var actions = Enumerable.Range(0, 16).Select(i => i % Actions).ToArray();
        var single = MultiInputActorCritic.ForSpace(_space, Actions, new RandomSource(17), Hidden);
        var parallel = MultiInputActorCritic.ForSpace(_space, Actions, new RandomSource(17), Hidden, parallelism);
        var gradients = Uniform(random, 16, 1);

        var singleValues = TrainStep(single, observations, actions, gradients);
        var parallelValues = TrainStep(parallel, observations, actions, gradients);

        // Two threads split the batch by image and the weight gradients into partial sums added at the end: some sums
        // run in another order. Both runs are float32 implementations of the one exact step, each within E of it
        // (BoundedStack over both encoders and the heads, the categorical's backward through DistributionBounds), so
        // they are within 2E of each other.
        var (errors, valueErrors) = Errors(single, observations, actions, gradients);
        Float32Bounds.AssertWithin(singleValues.Select(v => (double)v).ToArray(), parallelValues, valueErrors.Select(e => 2 * e).ToArray(), "values on two threads against one");
        foreach (var (a, b) in single.NamedParameters.Zip(parallel.NamedParameters))
        {
            Float32Bounds.AssertWithin(
                a.Parameter.Gradient.Span.ToArray().Select(v => (double)v).ToArray(), b.Parameter.Gradient.Span, errors[a.Name].Select(e => 2 * e).ToArray(), $"{a.Name} on two threads against one");
        }
    }

    /// <summary>
    /// E of every parameter gradient and of the values of <see cref="TrainStep"/>: each encoder a stack in double with running error
    /// bounds, the heads one stack over their concatenated outputs (each head's sum, and the add of the two heads'
    /// feature gradients, lie within the bound of one sum over actor and critic rows).
    /// </summary>
    private static (Dictionary<string, double[]> Gradients, double[] Values) Errors(MultiInputActorCritic model, byte[] observations, int[] actions, float[] gradients)
    {
        var batch = actions.Length;
        var p = model.NamedParameters.ToDictionary(n => n.Name, n => n.Parameter.Value.Span.ToArray());
        int Rows(string name) => model.NamedParameters.Single(n => n.Name == name).Parameter.Value.Shape[0];
        var width = Rows("extractors.features.0.weight");
        var conv3Size = (int)Math.Sqrt(model.NamedParameters.Single(n => n.Name == "extractors.frames.7.weight").Parameter.Value.Shape[1] / Rows("extractors.frames.4.weight"));
        var features = new BoundedStack(batch, Features, 1, 1, [
            new BoundedStack.Affine(p["extractors.features.0.weight"], p["extractors.features.0.bias"], width, 1, 1),
            new BoundedStack.Tanh(),
            new BoundedStack.Affine(p["extractors.features.2.weight"], p["extractors.features.2.bias"], width, 1, 1),
            new BoundedStack.Tanh(),
        ]);
        var frames = new BoundedStack(batch, Channels, Size, Size, [
            new BoundedStack.Scale(1.0 / 255, Roundings: 2),
            new BoundedStack.Affine(p["extractors.frames.0.weight"], p["extractors.frames.0.bias"], Rows("extractors.frames.0.weight"), 8, 8, Stride: 4),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(p["extractors.frames.2.weight"], p["extractors.frames.2.bias"], Rows("extractors.frames.2.weight"), 4, 4, Stride: 2),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(p["extractors.frames.4.weight"], p["extractors.frames.4.bias"], Rows("extractors.frames.4.weight"), 3, 3),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(p["extractors.frames.7.weight"], p["extractors.frames.7.bias"], Hidden, conv3Size, conv3Size),
            new BoundedStack.Relu(),
        ]);
        var parts = Enumerable.Range(0, batch).Select(b => observations.AsSpan(b * _space.FlatSize, _space.FlatSize).ToArray()).ToArray();
        features.Forward(parts.SelectMany(o => _space["features"].Read<float>(o).ToArray()).ToArray());
        frames.Forward(parts.SelectMany(o => _space["frames"].Read<byte>(o).ToArray().Select(v => (float)v)).ToArray());

        // The heads read [features, frames] per row, in the model's name order.
        var joinedWidth = width + Hidden;
        var joined = new double[batch * joinedWidth];
        var joinedError = new double[joined.Length];
        for (var b = 0; b < batch; b++)
        {
            Array.Copy(features.Output, b * width, joined, b * joinedWidth, width);
            Array.Copy(features.OutputError, b * width, joinedError, b * joinedWidth, width);
            Array.Copy(frames.Output, b * Hidden, joined, (b * joinedWidth) + width, Hidden);
            Array.Copy(frames.OutputError, b * Hidden, joinedError, (b * joinedWidth) + width, Hidden);
        }

        var heads = new BoundedStack(batch, joinedWidth, 1, 1, [
            new BoundedStack.Affine([.. p["actor.weight"], .. p["critic.weight"]], [.. p["actor.bias"], .. p["critic.bias"]], Actions + 1, 1, 1),
        ]);
        heads.Forward(joined, joinedError);
        var upstream = new double[batch * (Actions + 1)];
        var upstreamError = new double[upstream.Length];
        for (var b = 0; b < batch; b++)
        {
            var logits = Enumerable.Range(b * (Actions + 1), Actions).ToArray();
            var row = DistributionBounds.Categorical(
                logits.Select(k => (float)heads.Output[k]).ToArray(),
                logits.Select(k => heads.OutputError[k] + (Float32Bounds.Unit * Math.Abs(heads.Output[k]))).ToArray());
            var (gradient, error) = DistributionBounds.CategoricalBackward(row, actions[b], gradients[b], 0, gradients[b]);
            gradient.CopyTo(upstream, b * (Actions + 1));
            error.CopyTo(upstreamError, b * (Actions + 1));
            upstream[(b * (Actions + 1)) + Actions] = gradients[b];
        }

        heads.Backward(upstream, upstreamError);
        var (joinedGradient, joinedGradientError) = heads.InputGradient;
        double[] Columns(double[] rows, int start, int count) =>
            [.. Enumerable.Range(0, batch).SelectMany(b => rows.Skip((b * joinedWidth) + start).Take(count))];
        features.Backward(Columns(joinedGradient, 0, width), Columns(joinedGradientError, 0, width));
        frames.Backward(Columns(joinedGradient, width, Hidden), Columns(joinedGradientError, width, Hidden));

        var errors = new Dictionary<string, double[]>();
        void Add(BoundedStack stack, string prefix, params string[] layers)
        {
            for (var l = 0; l < layers.Length; l++)
            {
                errors[$"{prefix}.{layers[l]}.weight"] = stack.Gradients[l].WeightError;
                errors[$"{prefix}.{layers[l]}.bias"] = stack.Gradients[l].BiasError;
            }
        }

        Add(features, "extractors.features", "0", "2");
        Add(frames, "extractors.frames", "0", "2", "4", "7");
        var head = heads.Gradients[0];
        errors["actor.weight"] = head.WeightError[..(Actions * joinedWidth)];
        errors["actor.bias"] = head.BiasError[..Actions];
        errors["critic.weight"] = head.WeightError[(Actions * joinedWidth)..];
        errors["critic.bias"] = head.BiasError[Actions..];
        return (errors, [.. Enumerable.Range(0, batch).Select(b => heads.OutputError[(b * (Actions + 1)) + Actions])]);
    }

    private static float[] TrainStep(MultiInputActorCritic model, byte[] observations, int[] actions, float[] gradients)
    {
        var batch = actions.Length;
        var values = new float[batch];
        Gradients.ZeroGrad(model.NamedParameters.Select(p => p.Parameter).ToArray());
        model.Evaluate(observations, actions, batch, new float[batch], new float[batch], values);
        model.Backward(gradients, gradients, gradients);
        return values;
    }

    /// <summary>A model with larger heads and non-zero biases than layer_init gives, so that every term has a sizeable gradient.</summary>
    private static MultiInputActorCritic RandomizedModel(Random random)
    {
        var model = MultiInputActorCritic.ForSpace(_space, Actions, random, Hidden);
        foreach (var named in model.NamedParameters)
        {
            var values = named.Parameter.Value.Span;
            if (named.Name.EndsWith("bias", StringComparison.Ordinal))
            {
                Uniform(random, values.Length, 0.1).CopyTo(values);
            }
            else if (named.Name.StartsWith("actor", StringComparison.Ordinal))
            {
                Uniform(random, values.Length, 0.5).CopyTo(values);
            }
        }

        return model;
    }

    private static double Loss(MultiInputActorCritic model, byte[] observations, int[] actions, float[] alpha, float[] beta, float[] gamma)
    {
        var batch = actions.Length;
        var logProbs = new float[batch];
        var entropy = new float[batch];
        var values = new float[batch];
        model.Evaluate(observations, actions, batch, logProbs, entropy, values);
        double loss = 0;
        for (var b = 0; b < batch; b++)
        {
            loss += ((double)alpha[b] * logProbs[b]) + ((double)beta[b] * entropy[b]) + ((double)gamma[b] * values[b]);
        }

        return loss;
    }

    private static void AssertSameBehaviour(MultiInputActorCritic expected, MultiInputActorCritic actual, byte[] observations)
    {
        var expectedWeights = new float[expected.WeightCount];
        var actualWeights = new float[actual.WeightCount];
        expected.CopyWeightsTo(expectedWeights);
        actual.CopyWeightsTo(actualWeights);
        Assert.Equal(expectedWeights, actualWeights);

        var batch = observations.Length / _space.FlatSize;
        var (expectedActions, expectedLogProbs, expectedValues) = (new int[batch], new float[batch], new float[batch]);
        var (actualActions, actualLogProbs, actualValues) = (new int[batch], new float[batch], new float[batch]);
        expected.Act(observations, batch, ActionSelection.Deterministic, expectedActions, expectedLogProbs, expectedValues);
        actual.Act(observations, batch, ActionSelection.Deterministic, actualActions, actualLogProbs, actualValues);
        Assert.Equal(expectedActions, actualActions);
        Assert.Equal(expectedLogProbs, actualLogProbs);
        Assert.Equal(expectedValues, actualValues);
    }

    private static double[] NaiveCnn(MultiInputActorCritic model, double[] pixels) => NaiveLayers.Cnn(name => Parameter(model, name), "extractors.frames", pixels, Channels, Size);

    private static double[] Affine(MultiInputActorCritic model, string prefix, double[] input) => NaiveLayers.Affine(name => Parameter(model, name), prefix, input);

    private static Parameter Parameter(MultiInputActorCritic model, string name) => model.NamedParameters.Single(p => p.Name == name).Parameter;

    private static byte[] Observations(Random random, int batch)
    {
        var observations = new byte[batch * _space.FlatSize];
        for (var b = 0; b < batch; b++)
        {
            _space.Sample(random, observations.AsSpan(b * _space.FlatSize, _space.FlatSize));
        }

        return observations;
    }

    private static float[] Uniform(Random random, int count, double bound) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 * bound) - bound))];
}
