using Tempo.Algorithms.Models;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Spaces;
using Tempo.Core.Wrappers;
using Tempo.Nn.Modules;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Export.Onnx;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Export;

/// <summary>Writes a policy as a standard ONNX model (opset 13), so it runs without Tempo: ONNX Runtime, Unity Sentis, Godot, Unreal.</summary>
/// <remarks>
/// The graph computes what the policy's forward pass computes, from its own weights: <c>logits</c> (categorical
/// policies) or <c>action_mean</c> and <c>log_std</c> (Gaussian), and <c>value</c>. Sampling is left to the caller
/// (argmax of the logits, or the mean, for the most likely action). Inputs and outputs are listed in
/// <c>docs/formats/onnx.md</c>.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set version the graphs declare.</summary>
    public const int OpsetVersion = OnnxGraph.OpsetVersion;

    // The Nature CNN's convolutions (NatureCnn: 8×8 stride 4, 4×4 stride 2, 3×3 stride 1) at CleanRL's positions 0, 2, 4; its fc layer is 7.
    private static readonly (int Position, int Stride)[] _natureConvolutions = [(0, 4), (2, 2), (4, 1)];
    private const int NatureHiddenPosition = 7;

    /// <summary>Exports <paramref name="model"/> to the file <paramref name="path"/> (replaced if it exists).</summary>
    /// <param name="model">A model the recipes build: <see cref="CategoricalMlpActorCritic"/>, <see cref="GaussianMlpActorCritic"/>, <see cref="CategoricalCnnActorCritic"/> or <see cref="MultiInputActorCritic"/>.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="normalization">Observation normalization to freeze into the graph (MLP models only), or null for none.</param>
    /// <returns>The graph's inputs and outputs.</returns>
    /// <exception cref="ArgumentException">The model is of another kind, or the normalization does not fit it.</exception>
    public static OnnxSignature Export<TObservation, TAction>(IActorCritic<TObservation, TAction> model, string path, ObservationNormalization? normalization = null)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(path);
        var (bytes, signature) = Build(model, normalization, new Dictionary<string, string>());
        File.WriteAllBytes(path, bytes);
        return signature;
    }

    /// <summary>Exports the policy of the checkpoint at <paramref name="checkpoint"/> (a checkpoint file, or a run folder holding one) to <paramref name="path"/>, with the observation normalization it was trained behind.</summary>
    /// <param name="registry">Where the checkpoint's env is registered (its spaces fix the network's shape).</param>
    /// <param name="checkpoint">A checkpoint file or a run folder.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <returns>The graph's inputs and outputs.</returns>
    /// <exception cref="ArgumentException">The checkpoint's env is not registered, or its network no longer fits the env.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is corrupt or predates the record of its env and network.</exception>
    public static OnnxSignature ExportCheckpoint(EnvRegistry registry, string checkpoint, string path)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(path);
        var file = Directory.Exists(checkpoint) ? RunFolder.CheckpointPath(checkpoint) : checkpoint;
        var metadata = CheckpointFile.ReadMetadata(file);
        if (metadata.Env is not { } env || metadata.Model is not { } model)
        {
            throw new InvalidDataException($"Checkpoint {file} does not record its env and network (it was written by an older Tempo); export it with that version.");
        }

        if (!registry.Contains(env))
        {
            throw new ArgumentException(
                $"Checkpoint {file} was trained on {env}, which is not registered here. Register it before exporting (the CLI: --env-assembly PATH to the assembly that registers it).");
        }

        var run = RunConfig.Resolve(registry, [ConfigLayer.Parse(metadata.Config, $"the config stored in {file}")]);
        var (bytes, signature) = ActorCriticRecipes.Dispatch(registry, run, new CheckpointExport(file, metadata, model));
        File.WriteAllBytes(path, bytes);
        return signature;
    }

    private static (byte[] Bytes, OnnxSignature Signature) Build<TObservation, TAction>(
        IActorCritic<TObservation, TAction> model, ObservationNormalization? normalization, Dictionary<string, string> metadata)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(model);
        if (normalization is not null && model is not (CategoricalMlpActorCritic or GaussianMlpActorCritic))
        {
            throw new ArgumentException($"Observation normalization applies to float-vector (MLP) policies; {model.GetType().Name} reads raw bytes.", nameof(normalization));
        }

        var graph = new OnnxGraph();
        var weights = new Weights(model.NamedParameters);
        switch (model)
        {
            case CategoricalMlpActorCritic mlp:
                {
                    var obs = Normalize(graph, graph.AddInput(new("obs", OnnxElementType.Float, [OnnxTensorInfo.BatchDimension, mlp.ObservationSize])), mlp.ObservationSize, normalization);
                    graph.AddOutput(Mlp(graph, weights, "actor", obs, "Tanh"), new("logits", OnnxElementType.Float, [OnnxTensorInfo.BatchDimension, mlp.ActionCount]));
                    graph.AddOutput(Mlp(graph, weights, "critic", obs, "Tanh"), new("value", OnnxElementType.Float, [OnnxTensorInfo.BatchDimension, 1]));
                    metadata["tempo.model"] = "categorical-mlp";
                    break;
                }

            case GaussianMlpActorCritic gaussian:
                {
                    var obs = Normalize(graph, graph.AddInput(new("obs", OnnxElementType.Float, [OnnxTensorInfo.BatchDimension, gaussian.ObservationSize])), gaussian.ObservationSize, normalization);
                    graph.AddOutput(Mlp(graph, weights, "actor_mean", obs, "Tanh"), new("action_mean", OnnxElementType.Float, [OnnxTensorInfo.BatchDimension, gaussian.ActionSize]));
                    graph.AddOutput(weights.Initializer(graph, "actor_logstd"), new("log_std", OnnxElementType.Float, [1, gaussian.ActionSize]));
                    graph.AddOutput(Mlp(graph, weights, "critic", obs, "Tanh"), new("value", OnnxElementType.Float, [OnnxTensorInfo.BatchDimension, 1]));
                    metadata["tempo.model"] = "gaussian-mlp";
                    break;
                }

            case CategoricalCnnActorCritic cnn:
                {
                    var obs = graph.AddInput(new("obs", OnnxElementType.UInt8, [OnnxTensorInfo.BatchDimension, cnn.Channels, cnn.FrameHeight, cnn.FrameWidth]));
                    var features = NatureCnn(graph, weights, "network", obs);
                    Heads(graph, weights, features, cnn.ActionCount);
                    metadata["tempo.model"] = "categorical-cnn";
                    break;
                }

            case MultiInputActorCritic multi:
                {
                    var encoded = multi.ObservationSpace.Parts.Select(part => EncodePart(graph, weights, part)).ToArray();
                    var features = encoded.Length == 1 ? encoded[0] : graph.AddNode("Concat", encoded, OnnxAttribute.Int("axis", 1));
                    Heads(graph, weights, features, multi.ActionCount);
                    metadata["tempo.model"] = "categorical-multi-input";
                    break;
                }

            default:
                throw new ArgumentException(
                    $"ONNX export knows the models the recipes build (categorical and Gaussian MLPs, the Nature CNN, multi-input); got {model.GetType().Name}.", nameof(model));
        }

        return (graph.ToModel("tempo_policy", metadata), graph.Signature);
    }

    /// <summary>Freezes <c>(x − mean) / √(variance + ε)</c>, clipped, in front of an MLP (as <c>NormalizeObservation</c> then <c>ClipObservation</c>).</summary>
    private static string Normalize(OnnxGraph graph, string obs, int size, ObservationNormalization? normalization)
    {
        if (normalization is null)
        {
            return obs;
        }

        if (normalization.Mean.Count != size || normalization.Variance.Count != size)
        {
            throw new ArgumentException(
                $"The normalization has {normalization.Mean.Count} means and {normalization.Variance.Count} variances; the policy reads {size} elements.", nameof(normalization));
        }

        var mean = normalization.Mean.Select(m => (float)m).ToArray();
        var std = normalization.Variance.Select(v => (float)Math.Sqrt(v + normalization.Epsilon)).ToArray();
        var centred = graph.AddNode("Sub", [obs, graph.AddInitializer("obs_mean", [size], mean)]);
        var scaled = graph.AddNode("Div", [centred, graph.AddInitializer("obs_std", [size], std)]);
        if (float.IsNegativeInfinity(normalization.ClipMin) && float.IsPositiveInfinity(normalization.ClipMax))
        {
            return scaled;
        }

        return graph.AddNode("Clip", [scaled, graph.AddInitializer("obs_clip_min", [], [normalization.ClipMin]), graph.AddInitializer("obs_clip_max", [], [normalization.ClipMax])]);
    }

    /// <summary>The linear policy and value heads over shared features.</summary>
    private static void Heads(OnnxGraph graph, Weights weights, string features, int actionCount)
    {
        graph.AddOutput(Linear(graph, weights, "actor", features), new("logits", OnnxElementType.Float, [OnnxTensorInfo.BatchDimension, actionCount]));
        graph.AddOutput(Linear(graph, weights, "critic", features), new("value", OnnxElementType.Float, [OnnxTensorInfo.BatchDimension, 1]));
    }

    /// <summary>One dict part: an input named after it, then its encoder (Nature CNN for an image part, tanh MLP for any other).</summary>
    private static string EncodePart(OnnxGraph graph, Weights weights, DictPart part)
    {
        var prefix = $"extractors.{part.Name}";
        var first = weights[$"{prefix}.0.weight"];
        if (first.Rank == 4)
        {
            // An image part, fed as [batch, C, H, W] (a [H, W] or [H, W, 1] part holds the same bytes as [1, H, W]).
            var obs = graph.AddInput(new(part.Name, OnnxElementType.UInt8, [OnnxTensorInfo.BatchDimension, first.Dim(1), .. ImageSize(part.Space.Shape)]));
            return NatureCnn(graph, weights, prefix, obs);
        }

        var input = graph.AddInput(new(part.Name, ElementType(part), [OnnxTensorInfo.BatchDimension, .. part.Space.Shape]));
        var asFloat = part.Space.ElementType == typeof(float) ? input : graph.AddNode("Cast", [input], OnnxAttribute.Int("to", (int)OnnxElementType.Float));
        var flat = part.Space.Shape.Count == 1 ? asFloat : graph.AddNode("Flatten", [asFloat], OnnxAttribute.Int("axis", 1));
        return Mlp(graph, weights, prefix, flat, "Tanh", activateLast: true);
    }

    private static int[] ImageSize(IReadOnlyList<int> shape) => shape switch
    {
        [var height, var width, 1] => [height, width],
        [_, var height, var width] => [height, width],
        [var height, var width] => [height, width],
        _ => throw new ArgumentException($"An image part has 2 or 3 dimensions; got ({string.Join(", ", shape)})."),
    };

    private static OnnxElementType ElementType(DictPart part)
    {
        var type = part.Space.ElementType;
        return type == typeof(float) ? OnnxElementType.Float
            : type == typeof(byte) ? OnnxElementType.UInt8
            : type == typeof(int) ? OnnxElementType.Int32
            : type == typeof(double) ? OnnxElementType.Double
            : throw new ArgumentException($"Part '{part.Name}' holds {type.Name} elements, which ONNX export does not map.");
    }

    /// <summary>Pixels / 255 (as <c>NatureCnn</c> scales them: times 1/255 in float), three ReLU convolutions, flatten, a ReLU fully connected layer.</summary>
    private static string NatureCnn(OnnxGraph graph, Weights weights, string prefix, string obs)
    {
        var pixels = graph.AddNode("Cast", [obs], OnnxAttribute.Int("to", (int)OnnxElementType.Float));
        var x = graph.AddNode("Mul", [pixels, graph.AddInitializer($"{prefix}.pixel_scale", [], [1f / 255f])]);
        foreach (var (position, stride) in _natureConvolutions)
        {
            var weight = weights.Initializer(graph, $"{prefix}.{position}.weight");
            var kernel = weights[$"{prefix}.{position}.weight"].Dim(2);
            var conv = graph.AddNode(
                "Conv",
                [x, weight, weights.Initializer(graph, $"{prefix}.{position}.bias")],
                OnnxAttribute.Ints("kernel_shape", kernel, kernel),
                OnnxAttribute.Ints("strides", stride, stride));
            x = graph.AddNode("Relu", [conv]);
        }

        var flat = graph.AddNode("Flatten", [x], OnnxAttribute.Int("axis", 1));
        return graph.AddNode("Relu", [Linear(graph, weights, $"{prefix}.{NatureHiddenPosition}", flat)]);
    }

    /// <summary>The layers <c>{prefix}.0</c>, <c>{prefix}.2</c>, … with <paramref name="activation"/> between them (and after the last when <paramref name="activateLast"/>).</summary>
    private static string Mlp(OnnxGraph graph, Weights weights, string prefix, string input, string activation, bool activateLast = false)
    {
        var positions = weights.LayerPositions(prefix);
        var x = input;
        for (var i = 0; i < positions.Count; i++)
        {
            x = Linear(graph, weights, $"{prefix}.{positions[i]}", x);
            if (activateLast || i < positions.Count - 1)
            {
                x = graph.AddNode(activation, [x]);
            }
        }

        return x;
    }

    /// <summary><c>x · Wᵀ + b</c> with PyTorch's [out, in] weight: one Gemm with transB.</summary>
    private static string Linear(OnnxGraph graph, Weights weights, string layer, string input) => graph.AddNode(
        "Gemm",
        [input, weights.Initializer(graph, $"{layer}.weight"), weights.Initializer(graph, $"{layer}.bias")],
        OnnxAttribute.Int("transB", 1));

    /// <summary>The model's parameters by name, each written into the graph once.</summary>
    private sealed class Weights(IReadOnlyList<NamedParameter> parameters)
    {
        private readonly Dictionary<string, Parameter> _byName = parameters.ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        private readonly HashSet<string> _written = new(StringComparer.Ordinal);

        public Nn.Tensors.Tensor this[string name] => _byName.TryGetValue(name, out var parameter)
            ? parameter.Value
            : throw new ArgumentException($"The model has no parameter named '{name}'; its names: {string.Join(", ", _byName.Keys)}.");

        public string Initializer(OnnxGraph graph, string name)
        {
            var value = this[name];
            if (_written.Add(name))
            {
                graph.AddInitializer(name, value.Shape, value.Span);
            }

            return name;
        }

        /// <summary>The positions <c>k</c> of the layers <c>{prefix}.k.weight</c>, in order.</summary>
        public IReadOnlyList<int> LayerPositions(string prefix)
        {
            var positions = new List<int>();
            foreach (var name in _byName.Keys)
            {
                if (name.StartsWith(prefix + ".", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal)
                    && int.TryParse(name.AsSpan(prefix.Length + 1, name.Length - prefix.Length - 1 - ".weight".Length), out var position))
                {
                    positions.Add(position);
                }
            }

            positions.Sort();
            return positions.Count > 0 ? positions : throw new ArgumentException($"The model has no layers named {prefix}.*.");
        }
    }

    private sealed class CheckpointExport(string path, TrainingCheckpoint checkpoint, ModelSpec saved) : IRecipeVisitor<(byte[] Bytes, OnnxSignature Signature)>
    {
        public (byte[] Bytes, OnnxSignature Signature) Visit<TObservation, TAction>(ActorCriticRecipe<TObservation, TAction> recipe)
            where TObservation : unmanaged
            where TAction : unmanaged
        {
            using var env = recipe.MakeEnv();
            var spec = ModelSpec.For(recipe.Model, env.ObservationSpace, env.ActionSpace, saved.HiddenSizes);
            if (saved.Differences(spec) is { Count: > 0 } differences)
            {
                throw new ArgumentException($"Checkpoint {path} holds a {saved}, but {checkpoint.Env} now needs a {spec} (checkpoint vs now: {string.Join("; ", differences)}).");
            }

            var model = spec.Create<TObservation, TAction>(env.ObservationSpace, new RandomSource(0), parallelism: null);
            CheckpointFile.Load(path, model.NamedParameters);
            var metadata = new Dictionary<string, string>
            {
                ["tempo.env"] = checkpoint.Env!,
                ["tempo.global_step"] = checkpoint.GlobalStep.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["tempo.policy_version"] = checkpoint.PolicyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            return Build(model, Normalization<TAction>(env), metadata);
        }

        /// <summary>Env 0's statistics at the checkpoint, as evaluation uses them, and the clip after them, if the stack normalizes observations.</summary>
        private ObservationNormalization? Normalization<TAction>(IEnv env)
            where TAction : unmanaged
        {
            if (!env.TryFind<NormalizeObservation<TAction>>(out var normalizer))
            {
                return null;
            }

            if (checkpoint.ObservationNormalizers.Count == 0)
            {
                throw new InvalidDataException($"Checkpoint {path} was trained behind observation normalization but holds no normalizer statistics.");
            }

            var statistics = checkpoint.ObservationNormalizers[0];
            return env.TryFind<ClipObservation<TAction>>(out var clip)
                ? new ObservationNormalization(statistics.Mean, statistics.Variance, normalizer.Epsilon, clip.Min, clip.Max)
                : new ObservationNormalization(statistics.Mean, statistics.Variance, normalizer.Epsilon, float.NegativeInfinity, float.PositiveInfinity);
        }
    }
}
