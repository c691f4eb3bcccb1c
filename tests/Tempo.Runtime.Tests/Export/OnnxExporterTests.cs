using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Spaces;
using Tempo.Core.Wrappers;
using Tempo.Nn.Modules;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Export;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;
using Xunit.Abstractions;

namespace Tempo.Runtime.Tests.Export;

/// <summary>
/// Each model kind's exported graph, run by ONNX Runtime, against Tempo's own forward pass on 1,000 random observations.
/// </summary>
/// <remarks>
/// <para>
/// The bound. Both sides compute in float32 but reduce in different orders (Tempo's SIMD kernels, ONNX Runtime's MLAS,
/// with or without FMA). A length-n dot product computed in float32 in any order is within γ_n·Σ|wᵢxᵢ| of the exact
/// one (γ_n = n·u/(1 − n·u), u = 2⁻²⁴), so two implementations differ by at most 2·γ_n·Σ|wᵢxᵢ|. Tanh and ReLU are
/// 1-Lipschitz, so layer errors add up along the path: with n the op count (the sum of the reduction lengths, fan-in + 1
/// for the bias, of the layers on the output's path) the outputs differ by at most 2·n·u·S, S bounding Σ|wᵢxᵢ| per
/// layer. The weights are drawn uniform in ±√(3/fan-in) (unit-variance pre-activations, bounded activations), which
/// keeps S at a few units; the test takes S = 4·(1 + |y|). Log-probabilities add log-softmax's own rounding, a few ulps
/// of the largest term, covered by the same factor. These worst-case bounds are far above the typical difference
/// (random rounding errors grow as √n, not n); the test reports both.
/// </para>
/// </remarks>
public sealed class OnnxExporterTests : IDisposable
{
    private const int Observations = 1_000;
    private const double UnitRoundoff = 1.0 / (1 << 24);

    private readonly string _folder = Directory.CreateTempSubdirectory("tempo-onnx-").FullName;
    private readonly ITestOutputHelper _output;

    public OnnxExporterTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void CategoricalMlp_OnnxRuntimeMatchesTempo()
    {
        const int obsSize = 8;
        const int actions = 4;
        var model = new CategoricalMlpActorCritic(obsSize, actions, [64, 64], new Random(1));
        Randomize(model.NamedParameters, new Random(2));
        var observations = RandomFloats(Observations * obsSize, new Random(3), -3f, 3f);

        var path = Path.Combine(_folder, "mlp.onnx");
        var signature = OnnxExporter.Export(model, path);
        Assert.Equal(["obs"], signature.Inputs.Select(i => i.Name));
        Assert.Equal(["logits", "value"], signature.Outputs.Select(o => o.Name));

        using var session = new InferenceSession(path);
        var outputs = Run(session, Input("obs", observations, [Observations, obsSize]));
        var (logProbs, values) = TempoCategorical(model, observations, actions);
        var opCount = (obsSize + 1) + (64 + 1) + (64 + 1);
        AssertClose("log-probabilities", logProbs, LogSoftmax(outputs["logits"], actions), opCount);
        AssertClose("values", values, outputs["value"], opCount);
    }

    [Fact]
    public void GaussianMlp_OnnxRuntimeMatchesTempo_WithFrozenNormalization()
    {
        const int obsSize = 11;
        const int actionSize = 3;
        var model = new GaussianMlpActorCritic(obsSize, actionSize, [64, 64], new Random(4));
        Randomize(model.NamedParameters, new Random(5));
        var raw = RandomFloats(Observations * obsSize, new Random(6), -20f, 20f);
        var random = new Random(7);
        double[] mean = [.. Enumerable.Range(0, obsSize).Select(_ => (random.NextDouble() * 4) - 2)];
        double[] variance = [.. Enumerable.Range(0, obsSize).Select(_ => 0.1 + (random.NextDouble() * 9))];
        var normalization = new ObservationNormalization(mean, variance, 1e-8, -10f, 10f);

        // What NormalizeObservation then ClipObservation hand the policy in training.
        var normalized = new float[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var j = i % obsSize;
            normalized[i] = Math.Clamp((float)((raw[i] - mean[j]) / Math.Sqrt(variance[j] + 1e-8)), -10f, 10f);
        }

        var path = Path.Combine(_folder, "gaussian.onnx");
        var signature = OnnxExporter.Export(model, path, normalization);
        Assert.Equal(["action_mean", "log_std", "value"], signature.Outputs.Select(o => o.Name));

        using var session = new InferenceSession(path);
        var outputs = Run(session, Input("obs", raw, [Observations, obsSize]));
        var means = new float[Observations * actionSize];
        var values = new float[Observations];
        var logProbs = new float[Observations];
        model.Evaluate(normalized, new float[Observations * actionSize], Observations, logProbs, new float[Observations], values);
        model.Act(normalized, Observations, ActionSelection.Deterministic, means, logProbs, values);

        // Normalizing adds a subtraction, a division and the float rounding of mean and std: 3 more ops per input.
        var opCount = (obsSize + 1) + (64 + 1) + (64 + 1) + 3;
        AssertClose("action means", means, outputs["action_mean"], opCount);
        AssertClose("values", values, outputs["value"], opCount);
        Assert.Equal(model.NamedParameters.Single(p => p.Name == "actor_logstd").Parameter.Value.Span.ToArray(), outputs["log_std"]);
    }

    [Fact]
    public void CategoricalCnn_OnnxRuntimeMatchesTempo()
    {
        // Not square, so a height/width mix-up shows: 44×52 → 10×12 → 4×5 → 2×3 after the three convolutions.
        const int channels = 3, height = 44, width = 52, actions = 5, hidden = 64;
        var model = new CategoricalCnnActorCritic(channels, height, width, actions, new Random(8), hidden);
        Randomize(model.NamedParameters, new Random(9));
        var frames = new byte[Observations * channels * height * width];
        new Random(10).NextBytes(frames);

        var path = Path.Combine(_folder, "cnn.onnx");
        var signature = OnnxExporter.Export(model, path);
        Assert.Equal([OnnxTensorInfo.BatchDimension, channels, height, width], signature.Inputs.Single().Shape);

        using var session = new InferenceSession(path);
        var outputs = Run(session, Input("obs", frames, [Observations, channels, height, width]));
        var (logProbs, values) = TempoCategorical(model, frames, actions);
        var opCount = (channels * 8 * 8 + 1) + (32 * 4 * 4 + 1) + (64 * 3 * 3 + 1) + (64 * 2 * 3 + 1) + (hidden + 1) + 1;
        AssertClose("log-probabilities", logProbs, LogSoftmax(outputs["logits"], actions), opCount);
        AssertClose("values", values, outputs["value"], opCount);
    }

    [Fact]
    public void CategoricalMultiInput_OnnxRuntimeMatchesTempo()
    {
        const int actions = 3, hidden = 64;
        var space = new DictSpace(new Dictionary<string, ISpace>
        {
            ["counts"] = new BoxSpace<int>(-50, 50, 2, 3),
            ["frames"] = new BoxSpace<byte>(0, 255, 40, 48),
            ["lives"] = new DiscreteSpace(4),
            ["position"] = new BoxSpace<float>(-5f, 5f, 5),
        });
        var model = MultiInputActorCritic.ForSpace(space, actions, new Random(11), hidden);
        Randomize(model.NamedParameters, new Random(12));
        var observations = new byte[Observations * space.FlatSize];
        var random = new Random(13);
        for (var b = 0; b < Observations; b++)
        {
            space.Sample(random, observations.AsSpan(b * space.FlatSize, space.FlatSize));
        }

        var path = Path.Combine(_folder, "multi.onnx");
        var signature = OnnxExporter.Export(model, path);
        Assert.Equal(["counts", "frames", "lives", "position"], signature.Inputs.Select(i => i.Name));

        using var session = new InferenceSession(path);
        var outputs = Run(
            session,
            Input("counts", Part<int>(space, "counts", observations), [Observations, 2, 3]),
            Input("frames", Part<byte>(space, "frames", observations), [Observations, 1, 40, 48]),
            Input("lives", Part<int>(space, "lives", observations), [Observations]),
            Input("position", Part<float>(space, "position", observations), [Observations, 5]));
        var (logProbs, values) = TempoCategorical(model, observations, actions);

        // The longest path: the image's CNN (40×48 → 9×11 → 3×4 → 1×2), then a head over all features.
        var features = hidden + (3 * VectorHidden);
        var opCount = (8 * 8 + 1) + (32 * 4 * 4 + 1) + (64 * 3 * 3 + 1) + (64 * 1 * 2 + 1) + (features + 1) + 1;
        AssertClose("log-probabilities", logProbs, LogSoftmax(outputs["logits"], actions), opCount);
        AssertClose("values", values, outputs["value"], opCount);
    }

    [Fact]
    public void ExportCheckpoint_PendulumRun_FreezesTheRunsNormalizationAndMatchesItsPolicy()
    {
        var registry = EnvRegistry.CreateDefault();
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec("Pendulum-v1"));
        var trained = Trainer.Train(
            registry,
            defaults with { RunDirectory = Path.Combine(_folder, "run"), Collection = defaults.Collection with { TotalTimesteps = 256, NumSteps = 128 } });
        var path = Path.Combine(_folder, "pendulum.onnx");

        OnnxExporter.ExportCheckpoint(registry, trained.RunDirectory, path);

        // The independent side: the checkpoint's weights in a fresh model, fed observations normalized as training did.
        var model = new GaussianMlpActorCritic(3, 1, [64, 64], new Random(0));
        var checkpoint = CheckpointFile.Load(trained.CheckpointPath, model.NamedParameters);
        var statistics = Assert.Single(checkpoint.ObservationNormalizers);
        var raw = RandomFloats(Observations * 3, new Random(14), -8f, 8f);
        var normalized = new float[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var j = i % 3;
            normalized[i] = Math.Clamp((float)((raw[i] - statistics.Mean[j]) / Math.Sqrt(statistics.Variance[j] + NormalizeObservation<float>.DefaultEpsilon)), -10f, 10f);
        }

        using var session = new InferenceSession(path);
        var outputs = Run(session, Input("obs", raw, [Observations, 3]));
        var means = new float[Observations];
        var values = new float[Observations];
        model.Act(normalized, Observations, ActionSelection.Deterministic, means, new float[Observations], values);
        var opCount = (3 + 1) + (64 + 1) + (64 + 1) + 3;
        AssertClose("action means", means, outputs["action_mean"], opCount);
        AssertClose("values", values, outputs["value"], opCount);
        Assert.Equal("Pendulum-v1", session.ModelMetadata.CustomMetadataMap["tempo.env"]);
    }

    [Fact]
    public void Export_AModelOfAnotherKind_SaysWhichKindsItKnows()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new OtherModel(), Path.Combine(_folder, "x.onnx")));
        Assert.Contains("OtherModel", error.Message, StringComparison.Ordinal);
    }

    private const int VectorHidden = MultiInputActorCritic.VectorHiddenSize;

    /// <summary>Uniform in ±√(3/fan-in) for weights (unit-variance pre-activations), ±0.5 for biases and log-stds.</summary>
    private static void Randomize(IReadOnlyList<NamedParameter> parameters, Random random)
    {
        foreach (var (_, parameter) in parameters)
        {
            var value = parameter.Value;
            var fanIn = value.Rank >= 2 && value.Dim(0) > 1 ? value.Length / value.Dim(0) : 0;
            var limit = fanIn > 0 ? Math.Sqrt(3.0 / fanIn) : 0.5;
            var span = value.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (float)(((random.NextDouble() * 2) - 1) * limit);
            }
        }
    }

    private static float[] RandomFloats(int count, Random random, float low, float high) =>
        [.. Enumerable.Range(0, count).Select(_ => low + ((float)random.NextDouble() * (high - low)))];

    private static T[] Part<T>(DictSpace space, string name, byte[] observations)
        where T : unmanaged
    {
        var part = space[name];
        var result = new List<T>();
        for (var b = 0; b < Observations; b++)
        {
            result.AddRange(part.Read<T>(observations.AsSpan(b * space.FlatSize, space.FlatSize)).ToArray());
        }

        return [.. result];
    }

    /// <summary>Tempo's log π(a | s) for every action a (row-major, as the logits) and V(s), through its training forward pass.</summary>
    private static (float[] LogProbs, float[] Values) TempoCategorical<TObservation>(IActorCritic<TObservation, int> model, TObservation[] observations, int actions)
        where TObservation : unmanaged
    {
        var logProbs = new float[Observations * actions];
        var values = new float[Observations];
        var column = new float[Observations];
        for (var a = 0; a < actions; a++)
        {
            model.Evaluate(observations, Enumerable.Repeat(a, Observations).ToArray(), Observations, column, new float[Observations], values);
            for (var b = 0; b < Observations; b++)
            {
                logProbs[(b * actions) + a] = column[b];
            }
        }

        return (logProbs, values);
    }

    private static float[] LogSoftmax(float[] logits, int actions)
    {
        var result = new float[logits.Length];
        for (var row = 0; row < logits.Length / actions; row++)
        {
            var slice = logits.AsSpan(row * actions, actions);
            double max = slice[0];
            foreach (var logit in slice)
            {
                max = Math.Max(max, logit);
            }

            var sum = 0.0;
            foreach (var logit in slice)
            {
                sum += Math.Exp(logit - max);
            }

            for (var a = 0; a < actions; a++)
            {
                result[(row * actions) + a] = (float)(slice[a] - max - Math.Log(sum));
            }
        }

        return result;
    }

    private void AssertClose(string what, float[] tempo, float[] onnx, int opCount)
    {
        Assert.Equal(tempo.Length, onnx.Length);
        var worst = 0.0;
        var worstRatio = 0.0;
        for (var i = 0; i < tempo.Length; i++)
        {
            var difference = Math.Abs((double)tempo[i] - onnx[i]);
            var bound = 2 * opCount * UnitRoundoff * 4 * (1 + Math.Abs(tempo[i]));
            Assert.True(
                difference <= bound,
                $"{what}[{i}]: Tempo {tempo[i]:R}, ONNX Runtime {onnx[i]:R}, {difference:E2} apart; the bound for {opCount} ops is {bound:E2}.");
            worst = Math.Max(worst, difference);
            worstRatio = Math.Max(worstRatio, difference / bound);
        }

        _output.WriteLine($"{what}: {tempo.Length} values, largest difference {worst:E2}, at most {worstRatio:P1} of the bound ({opCount} ops).");
    }

    private static NamedOnnxValue Input<T>(string name, T[] data, int[] shape) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<T>(data, shape));

    private static Dictionary<string, float[]> Run(InferenceSession session, params NamedOnnxValue[] inputs)
    {
        using var results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }

    private sealed class OtherModel : IActorCritic<float, int>
    {
        public int ObservationSize => 1;

        public int ActionSize => 1;

        public IReadOnlyList<NamedParameter> NamedParameters => [];

        public int WeightCount => 0;

        public PolicyVersion Version => default;

        public void Act(ReadOnlySpan<float> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values) =>
            throw new NotSupportedException();

        public void Backward(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients) =>
            throw new NotSupportedException();

        public void CopyWeightsTo(Span<float> destination) => throw new NotSupportedException();

        public void EstimateValues(ReadOnlySpan<float> observations, int batch, Span<float> values) => throw new NotSupportedException();

        public void Evaluate(ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int batch, Span<float> logProbs, Span<float> entropy, Span<float> values) =>
            throw new NotSupportedException();

        public void Load(PolicySnapshot snapshot) => throw new NotSupportedException();

        public void SetVersion(PolicyVersion version) => throw new NotSupportedException();
    }
}
