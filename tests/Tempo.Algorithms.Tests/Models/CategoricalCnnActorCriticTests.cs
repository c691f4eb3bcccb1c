using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Runtime.Checkpoints;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Models;

public sealed class CategoricalCnnActorCriticTests
{
    // The smallest frame the Nature CNN takes; two channels so that conv1 mixes planes.
    private const int Channels = 2;
    private const int Size = 36;
    private const int Actions = 3;
    private const int Hidden = 16;
    private const int Batch = 3;
    private const int FrameLength = Channels * Size * Size;

    public enum LossTerm
    {
        LogProb,
        Entropy,
        Value,
        All,
    }

    [Fact]
    public void NamedParameters_FollowCleanRlsAgent()
    {
        var model = new CategoricalCnnActorCritic(4, 84, 84, 6, new RandomSource(1));

        Assert.Equal(
            ["network.0.weight", "network.0.bias", "network.2.weight", "network.2.bias", "network.4.weight", "network.4.bias", "network.7.weight", "network.7.bias",
                "actor.weight", "actor.bias", "critic.weight", "critic.bias"],
            model.NamedParameters.Select(p => p.Name));
        Assert.Equal([32, 4, 8, 8], Parameter(model, "network.0.weight").Value.Shape);
        Assert.Equal([512, 64 * 7 * 7], Parameter(model, "network.7.weight").Value.Shape);
        Assert.Equal([6, 512], Parameter(model, "actor.weight").Value.Shape);
        Assert.Equal([1, 512], Parameter(model, "critic.weight").Value.Shape);
        Assert.Equal(model.NamedParameters.Sum(p => p.Parameter.Value.Length), model.WeightCount);
        Assert.Equal(4 * 84 * 84, model.ObservationSize);
        Assert.Equal(1, model.ActionSize);
    }

    [Fact]
    public void Constructor_InitializesAsCleanRlsLayerInit()
    {
        var model = new CategoricalCnnActorCritic(1, Size, Size, Actions, new RandomSource(2), hiddenSize: 32);

        // layer_init: orthogonal rows with gain √2 (torso), 0.01 (policy) and 1 (value); zero biases.
        AssertOrthogonalRows(Parameter(model, "network.0.weight"), Math.Sqrt(2));
        AssertOrthogonalRows(Parameter(model, "network.2.weight"), Math.Sqrt(2));
        AssertOrthogonalRows(Parameter(model, "network.4.weight"), Math.Sqrt(2));
        AssertOrthogonalRows(Parameter(model, "actor.weight"), 0.01);
        AssertOrthogonalRows(Parameter(model, "critic.weight"), 1);
        Assert.All(model.NamedParameters.Where(p => p.Name.EndsWith("bias", StringComparison.Ordinal)), p => Assert.All(p.Parameter.Value.Span.ToArray(), v => Assert.Equal(0f, v)));
    }

    [Theory]
    [InlineData(LossTerm.LogProb)]
    [InlineData(LossTerm.Entropy)]
    [InlineData(LossTerm.Value)]
    [InlineData(LossTerm.All)]
    public void Backward_MatchesFiniteDifferencesOfEvaluate(LossTerm term)
    {
        // L = Σ_b α_b log π(a_b | s_b) + β_b H(s_b) + γ_b V(s_b); Backward(α, β, γ) must give ∂L/∂θ. The torso's tensors
        // are large, so each is probed at a dozen random elements; the heads at every element.
        var random = new RandomSource(21);
        var model = RandomizedModel(random);
        var frames = Frames(random, Batch);
        int[] actions = [0, 2, 1];
        var alpha = term is LossTerm.LogProb or LossTerm.All ? Uniform(random, Batch, 1) : new float[Batch];
        var beta = term is LossTerm.Entropy or LossTerm.All ? Uniform(random, Batch, 1) : new float[Batch];
        var gamma = term is LossTerm.Value or LossTerm.All ? Uniform(random, Batch, 1) : new float[Batch];

        Gradients.ZeroGrad(model.NamedParameters.Select(p => p.Parameter).ToArray());
        Loss(model, frames, actions, alpha, beta, gamma);
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
                var plus = Loss(model, frames, actions, alpha, beta, gamma);
                values[j] = original - H;
                var minus = Loss(model, frames, actions, alpha, beta, gamma);
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
    public void Backward_ReachesEveryLayer()
    {
        // Guards the finite-difference test against passing on gradients that are all zero.
        var random = new RandomSource(21);
        var model = RandomizedModel(random);
        Gradients.ZeroGrad(model.NamedParameters.Select(p => p.Parameter).ToArray());
        Loss(model, Frames(random, Batch), [0, 2, 1], Uniform(random, Batch, 1), Uniform(random, Batch, 1), Uniform(random, Batch, 1));

        model.Backward(Uniform(random, Batch, 1), Uniform(random, Batch, 1), Uniform(random, Batch, 1));

        Assert.All(model.NamedParameters, p => Assert.Contains(p.Parameter.Gradient.Span.ToArray(), g => Math.Abs(g) > 1e-4));
    }

    [Fact]
    public void ActAndEvaluate_EqualANaiveForwardPassOnPixelsOver255()
    {
        // The reference divides each byte by 255 in double and runs the convolutions naively: this pins the byte→float
        // scaling, the layer geometry and the wiring of both heads.
        var random = new RandomSource(8);
        var model = RandomizedModel(random);
        var frames = Frames(random, Batch);
        var actions = new int[Batch];
        var logProbs = new float[Batch];
        var values = new float[Batch];

        model.Act(frames, Batch, ActionSelection.Deterministic, actions, logProbs, values);
        var evaluatedLogProbs = new float[Batch];
        var entropy = new float[Batch];
        var evaluatedValues = new float[Batch];
        model.Evaluate(frames, actions, Batch, evaluatedLogProbs, entropy, evaluatedValues);

        for (var b = 0; b < Batch; b++)
        {
            var pixels = frames.AsSpan(b * FrameLength, FrameLength).ToArray().Select(p => p / 255.0).ToArray();
            var (logits, value) = NaiveForward(model, pixels);
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
    public void Act_Sample_ReportsTheLogProbabilityOfTheSampledAction()
    {
        var random = new RandomSource(9);
        var model = RandomizedModel(random);
        var frames = Frames(random, 8);
        var actions = new int[8];
        var logProbs = new float[8];
        var values = new float[8];

        model.Act(frames, 8, ActionSelection.Sample, actions, logProbs, values);

        var evaluated = new float[8];
        model.Evaluate(frames, actions, 8, evaluated, new float[8], new float[8]);
        Assert.Equal(evaluated, logProbs);
        Assert.All(actions, a => Assert.InRange(a, 0, Actions - 1));
        Assert.True(actions.Distinct().Count() > 1, "a randomized policy should not pick one action for 8 different frames");
    }

    [Fact]
    public void EstimateValues_EqualsTheValuesOfAct()
    {
        var random = new RandomSource(10);
        var model = RandomizedModel(random);
        var frames = Frames(random, Batch);
        var values = new float[Batch];
        var estimated = new float[Batch];

        model.Act(frames, Batch, ActionSelection.Deterministic, new int[Batch], new float[Batch], values);
        model.EstimateValues(frames, Batch, estimated);

        Assert.Equal(values, estimated);
    }

    [Fact]
    public void Load_SnapshotOfAnotherModel_RoundTripsTheWeightsAndOutputs()
    {
        var random = new RandomSource(11);
        var source = RandomizedModel(random);
        var target = new CategoricalCnnActorCritic(Channels, Size, Size, Actions, new RandomSource(12), Hidden);
        source.SetVersion(new PolicyVersion(7));

        target.Load(source.TakeSnapshot());

        Assert.Equal(new PolicyVersion(7), target.Version);
        AssertSameBehaviour(source, target, Frames(random, Batch));
    }

    [Fact]
    public void CheckpointFile_SaveThenLoadIntoAFreshModel_RestoresWeightsAndOptimizerState()
    {
        var random = new RandomSource(13);
        var source = RandomizedModel(random);
        var optimizer = new Adam(source.NamedParameters, new AdamOptions { LearningRate = 1e-3 });
        var frames = Frames(random, Batch);
        Loss(source, frames, [1, 1, 0], Uniform(random, Batch, 1), Uniform(random, Batch, 1), Uniform(random, Batch, 1));
        source.Backward(Uniform(random, Batch, 1), Uniform(random, Batch, 1), Uniform(random, Batch, 1));
        optimizer.Step();
        var path = Path.Combine(Path.GetTempPath(), $"tempo-cnn-{Guid.NewGuid():N}.tempo");
        try
        {
            var checkpoint = new TrainingCheckpoint
            {
                Config = "{}",
                GlobalStep = 10,
                Updates = 1,
                PolicyVersion = 1,
                Episodes = 0,
                RandomStates = new Dictionary<string, RandomSourceState>(),
            };
            CheckpointFile.Save(path, checkpoint, source.NamedParameters, [new NamedOptimizerState("actor_critic", optimizer.State, source.NamedParameters)]);
            var target = new CategoricalCnnActorCritic(Channels, Size, Size, Actions, new RandomSource(14), Hidden);
            var targetOptimizer = new Adam(target.NamedParameters, new AdamOptions { LearningRate = 1e-3 });

            CheckpointFile.Load(path, target.NamedParameters, [new NamedOptimizerState("actor_critic", targetOptimizer.State, target.NamedParameters)]);

            AssertSameBehaviour(source, target, frames);
            Assert.Equal(1, targetOptimizer.State.StepCount);
            Assert.Equal(optimizer.State.Buffers.Count, targetOptimizer.State.Buffers.Count);
            foreach (var (saved, loaded) in optimizer.State.Buffers.Zip(targetOptimizer.State.Buffers))
            {
                Assert.Equal(saved.Name, loaded.Name);
                Assert.Equal(saved.Tensor.Span.ToArray(), loaded.Tensor.Span.ToArray());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_SnapshotOfAnotherArchitecture_ThrowsNamingBothSizes()
    {
        var model = new CategoricalCnnActorCritic(Channels, Size, Size, Actions, new RandomSource(1), Hidden);
        var other = new CategoricalCnnActorCritic(Channels, Size + 8, Size, Actions, new RandomSource(1), Hidden);

        var error = Assert.Throws<ArgumentException>(() => model.Load(other.TakeSnapshot()));

        Assert.Contains(model.WeightCount.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Contains(other.WeightCount.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Theory]
    [InlineData(35, 84)]
    [InlineData(84, 20)]
    public void Constructor_FrameTooSmall_ThrowsNamingTheSizes(int height, int width)
    {
        var error = Assert.Throws<ArgumentException>(() => new CategoricalCnnActorCritic(1, height, width, Actions, new RandomSource(1)));

        Assert.Contains($"{height}×{width}", error.Message);
        Assert.Contains("36×36", error.Message);
    }

    [Fact]
    public void ForObservationShape_TakesChannelsHeightWidthOrHeightWidth()
    {
        var stacked = CategoricalCnnActorCritic.ForObservationShape([4, 40, 44], Actions, new RandomSource(1), Hidden);
        var single = CategoricalCnnActorCritic.ForObservationShape([40, 44], Actions, new RandomSource(1), Hidden);
        var kept = CategoricalCnnActorCritic.ForObservationShape([40, 44, 1], Actions, new RandomSource(1), Hidden);

        Assert.Equal((4, 40, 44), (stacked.Channels, stacked.FrameHeight, stacked.FrameWidth));
        Assert.Equal((1, 40, 44), (single.Channels, single.FrameHeight, single.FrameWidth));
        Assert.Equal((1, 40, 44), (kept.Channels, kept.FrameHeight, kept.FrameWidth));
        Assert.Equal(40 * 44, single.ObservationSize);
    }

    [Fact]
    public void ForObservationShape_RgbFramesChannelsLast_ThrowsPointingToGrayscale()
    {
        var error = Assert.Throws<ArgumentException>(() => CategoricalCnnActorCritic.ForObservationShape([84, 84, 3], Actions, new RandomSource(1)));

        Assert.Contains("(84, 84, 3)", error.Message);
        Assert.Contains("GrayscaleObservation", error.Message);
    }

    [Theory]
    [InlineData(new[] { 84 })]
    [InlineData(new[] { 1, 1, 84, 84 })]
    public void ForObservationShape_NotAnImage_ThrowsNamingTheShape(int[] shape)
    {
        var error = Assert.Throws<ArgumentException>(() => CategoricalCnnActorCritic.ForObservationShape(shape, Actions, new RandomSource(1)));

        Assert.Contains($"({string.Join(", ", shape)})", error.Message);
    }

    [Fact]
    public void Act_TooFewObservationBytes_ThrowsNamingTheSizes()
    {
        var model = new CategoricalCnnActorCritic(Channels, Size, Size, Actions, new RandomSource(1), Hidden);

        var error = Assert.Throws<ArgumentException>(() => model.Act(new byte[(2 * FrameLength) - 1], 2, ActionSelection.Sample, new int[2], new float[2], new float[2]));

        Assert.Equal("observations", error.ParamName);
        Assert.Contains($"{2 * FrameLength}", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.EstimateValues(new byte[FrameLength], 0, new float[1]));
    }

    [Fact]
    public void Backward_BeforeEvaluateOrAfterAnAct_Throws()
    {
        var model = new CategoricalCnnActorCritic(Channels, Size, Size, Actions, new RandomSource(1), Hidden);
        var frames = new byte[FrameLength];

        Assert.Throws<InvalidOperationException>(() => model.Backward(new float[1], new float[1], new float[1]));
        model.Evaluate(frames, [1], 1, new float[1], new float[1], new float[1]);
        model.EstimateValues(frames, 1, new float[1]);
        Assert.Throws<InvalidOperationException>(() => model.Backward(new float[1], new float[1], new float[1]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Act_BatchesUpToTheLargestSeen_AllocateNothing(int threads)
    {
        using var parallelism = threads > 1 ? new KernelParallelism(threads) : null;
        var random = new RandomSource(15);
        var model = new CategoricalCnnActorCritic(Channels, Size, Size, Actions, random, Hidden, parallelism);
        var frames = Frames(random, 8);
        var actions = new int[8];
        var logProbs = new float[8];
        var values = new float[8];
        void ActAtEveryBatchSize()
        {
            for (var batch = 8; batch >= 1; batch--)
            {
                model.Act(frames, batch, ActionSelection.Sample, actions, logProbs, values);
                model.EstimateValues(frames, batch, values);
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
        var frames = Frames(random, 16);
        var actions = Enumerable.Range(0, 16).Select(i => i % Actions).ToArray();
        var single = new CategoricalCnnActorCritic(Channels, Size, Size, Actions, new RandomSource(17), Hidden);
        var parallel = new CategoricalCnnActorCritic(Channels, Size, Size, Actions, new RandomSource(17), Hidden, parallelism);
        var gradients = Uniform(random, 16, 1);

        var singleValues = TrainStep(single, frames, actions, gradients);
        var parallelValues = TrainStep(parallel, frames, actions, gradients);

        Assert.Equal(singleValues, parallelValues);

        // Two threads split the batch by image and add their partial sums, so the parameter gradients are the same
        // products summed in another order. Both runs are float32 implementations of the one exact step, each within E
        // of it (BoundedStack over this model's layers, the categorical's backward through DistributionBounds), so
        // they are within 2E of each other.
        var errors = GradientErrors(single, frames, actions, gradients);
        foreach (var (a, b) in single.NamedParameters.Zip(parallel.NamedParameters))
        {
            Float32Bounds.AssertWithin(
                a.Parameter.Gradient.Span.ToArray().Select(v => (double)v).ToArray(), b.Parameter.Gradient.Span, errors[a.Name].Select(e => 2 * e).ToArray(), $"{a.Name} on two threads against one");
        }
    }

    /// <summary>E of every parameter gradient of <see cref="TrainStep"/>: the model's layers in double with running error bounds.</summary>
    private static Dictionary<string, double[]> GradientErrors(CategoricalCnnActorCritic model, byte[] frames, int[] actions, float[] gradients)
    {
        var batch = actions.Length;
        var p = model.NamedParameters.ToDictionary(n => n.Name, n => n.Parameter.Value.Span.ToArray());
        int Rows(string name) => model.NamedParameters.Single(n => n.Name == name).Parameter.Value.Shape[0];
        var conv3 = model.NamedParameters.Single(n => n.Name == "network.7.weight").Parameter.Value.Shape[1] / Rows("network.4.weight");
        var conv3Size = (int)Math.Sqrt(conv3);
        var torso = new BoundedStack.Layer[]
        {
            new BoundedStack.Scale(1.0 / 255, Roundings: 2),
            new BoundedStack.Affine(p["network.0.weight"], p["network.0.bias"], Rows("network.0.weight"), 8, 8, Stride: 4),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(p["network.2.weight"], p["network.2.bias"], Rows("network.2.weight"), 4, 4, Stride: 2),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(p["network.4.weight"], p["network.4.bias"], Rows("network.4.weight"), 3, 3),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(p["network.7.weight"], p["network.7.bias"], Hidden, conv3Size, conv3Size),
            new BoundedStack.Relu(),
        };
        var stack = new BoundedStack(batch, Channels, Size, Size, [
            .. torso,
            new BoundedStack.Affine([.. p["actor.weight"], .. p["critic.weight"]], [.. p["actor.bias"], .. p["critic.bias"]], Actions + 1, 1, 1),
        ]);
        stack.Forward(frames.Select(b => (float)b).ToArray());

        var upstream = new double[batch * (Actions + 1)];
        var upstreamError = new double[upstream.Length];
        for (var b = 0; b < batch; b++)
        {
            var logits = Enumerable.Range(b * (Actions + 1), Actions).ToArray();
            var row = DistributionBounds.Categorical(
                logits.Select(k => (float)stack.Output[k]).ToArray(),
                logits.Select(k => stack.OutputError[k] + (Float32Bounds.Unit * Math.Abs(stack.Output[k]))).ToArray());
            var (gradient, error) = DistributionBounds.CategoricalBackward(row, actions[b], gradients[b], 0, gradients[b]);
            gradient.CopyTo(upstream, b * (Actions + 1));
            error.CopyTo(upstreamError, b * (Actions + 1));
            upstream[(b * (Actions + 1)) + Actions] = gradients[b];
        }

        stack.Backward(upstream, upstreamError);
        string[] names = ["network.0", "network.2", "network.4", "network.7"];
        var errors = new Dictionary<string, double[]>();
        for (var l = 0; l < names.Length; l++)
        {
            errors[$"{names[l]}.weight"] = stack.Gradients[l].WeightError;
            errors[$"{names[l]}.bias"] = stack.Gradients[l].BiasError;
        }

        var heads = stack.Gradients[^1];
        errors["actor.weight"] = heads.WeightError[..(Actions * Hidden)];
        errors["actor.bias"] = heads.BiasError[..Actions];
        errors["critic.weight"] = heads.WeightError[(Actions * Hidden)..];
        errors["critic.bias"] = heads.BiasError[Actions..];
        return errors;
    }

    private static float[] TrainStep(CategoricalCnnActorCritic model, byte[] frames, int[] actions, float[] gradients)
    {
        var batch = actions.Length;
        var values = new float[batch];
        Gradients.ZeroGrad(model.NamedParameters.Select(p => p.Parameter).ToArray());
        model.Evaluate(frames, actions, batch, new float[batch], new float[batch], values);
        model.Backward(gradients, gradients, gradients);
        return values;
    }

    /// <summary>A model with larger heads and non-zero biases than layer_init gives, so that every term has a sizeable gradient.</summary>
    private static CategoricalCnnActorCritic RandomizedModel(Random random)
    {
        var model = new CategoricalCnnActorCritic(Channels, Size, Size, Actions, random, Hidden);
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

    private static double Loss(CategoricalCnnActorCritic model, byte[] frames, int[] actions, float[] alpha, float[] beta, float[] gamma)
    {
        var batch = actions.Length;
        var logProbs = new float[batch];
        var entropy = new float[batch];
        var values = new float[batch];
        model.Evaluate(frames, actions, batch, logProbs, entropy, values);
        double loss = 0;
        for (var b = 0; b < batch; b++)
        {
            loss += ((double)alpha[b] * logProbs[b]) + ((double)beta[b] * entropy[b]) + ((double)gamma[b] * values[b]);
        }

        return loss;
    }

    private static void AssertSameBehaviour(CategoricalCnnActorCritic expected, CategoricalCnnActorCritic actual, byte[] frames)
    {
        var expectedWeights = new float[expected.WeightCount];
        var actualWeights = new float[actual.WeightCount];
        expected.CopyWeightsTo(expectedWeights);
        actual.CopyWeightsTo(actualWeights);
        Assert.Equal(expectedWeights, actualWeights);

        var batch = frames.Length / FrameLength;
        var (expectedActions, expectedLogProbs, expectedValues) = (new int[batch], new float[batch], new float[batch]);
        var (actualActions, actualLogProbs, actualValues) = (new int[batch], new float[batch], new float[batch]);
        expected.Act(frames, batch, ActionSelection.Deterministic, expectedActions, expectedLogProbs, expectedValues);
        actual.Act(frames, batch, ActionSelection.Deterministic, actualActions, actualLogProbs, actualValues);
        Assert.Equal(expectedActions, actualActions);
        Assert.Equal(expectedLogProbs, actualLogProbs);
        Assert.Equal(expectedValues, actualValues);
    }

    /// <summary>The network in double from its named parameters: three valid convolutions with ReLU, a ReLU fc layer, two linear heads.</summary>
    private static (double[] Logits, double Value) NaiveForward(CategoricalCnnActorCritic model, double[] pixels)
    {
        Parameter Lookup(string name) => Parameter(model, name);
        var features = NaiveLayers.Cnn(Lookup, "network", pixels, Channels, Size);
        return (NaiveLayers.Affine(Lookup, "actor", features), NaiveLayers.Affine(Lookup, "critic", features)[0]);
    }

    private static void AssertOrthogonalRows(Parameter weight, double gain)
    {
        var rows = weight.Value.Dim(0);
        var columns = weight.Value.Length / rows;
        var w = weight.Value.Span;
        for (var a = 0; a < rows; a++)
        {
            for (var b = a; b < rows; b++)
            {
                double dot = 0;
                for (var k = 0; k < columns; k++)
                {
                    dot += (double)w[(a * columns) + k] * w[(b * columns) + k];
                }

                Assert.Equal(a == b ? gain * gain : 0, dot, 4);
            }
        }
    }

    private static Parameter Parameter(CategoricalCnnActorCritic model, string name) => model.NamedParameters.Single(p => p.Name == name).Parameter;

    private static byte[] Frames(Random random, int batch)
    {
        var frames = new byte[batch * FrameLength];
        random.NextBytes(frames);
        return frames;
    }

    private static float[] Uniform(Random random, int count, double bound) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 * bound) - bound))];
}
