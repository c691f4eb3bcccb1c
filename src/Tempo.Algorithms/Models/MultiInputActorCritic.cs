using Tempo.Algorithms.Policies;
using Tempo.Core.Spaces;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Models;

/// <summary>An actor-critic over dict observations (SB3's <c>MultiInputPolicy</c> with its <c>CombinedExtractor</c>): each part encoded on its own, the features concatenated, read by a linear policy head and a linear value head.</summary>
/// <remarks>
/// <para>
/// Observations are <see cref="DictSpace"/> values (the parts' bytes end to end), encoded by a <see cref="DictExtractor"/>:
/// a Nature CNN per byte image part, CleanRL's small tanh MLP per other part. That small MLP is there so the heads see a
/// non-linear function of the features, as they do of the pixels; without it the policy would be linear in raw memory
/// values, whose scales differ wildly.
/// </para>
/// <para>
/// The encoders' outputs are concatenated in part (name) order and shared by both heads, as in CleanRL's
/// <c>ppo_atari.py</c>. Initialization follows CleanRL's <c>layer_init</c>: orthogonal with gain √2 in the encoders,
/// 0.01 for the policy head and 1 for the value head, zero biases. Parameters are named as SB3's extractor names them:
/// <c>extractors.{part}.0.weight</c> … (the CNN's <c>0, 2, 4, 7</c>; the MLP's <c>0, 2</c>), then <c>actor.*</c> and
/// <c>critic.*</c>.
/// </para>
/// <para>
/// As the CNN model: layer buffers are shared by acting and training and sized by the largest batch seen, so acting
/// allocates nothing; an <see cref="Act"/> or <see cref="EstimateValues"/> between <see cref="Evaluate"/> and
/// <see cref="Backward"/> makes <see cref="Backward"/> refuse to run; with a <see cref="KernelParallelism"/> the
/// layers split large calls across its threads; one caller at a time.
/// </para>
/// </remarks>
public sealed class MultiInputActorCritic : IActorCritic<byte, int>
{
    /// <summary>Width of each image part's fully connected layer (512 in the Nature CNN and CleanRL).</summary>
    public const int DefaultHiddenSize = 512;

    /// <summary>Width of the two tanh layers of each vector part's MLP (CleanRL's MLP agent).</summary>
    public const int VectorHiddenSize = DictExtractor.VectorHiddenSize;

    private readonly DictExtractor _extractor;
    private readonly CategoricalHeads _heads;
    private readonly ParameterSet _parameters;
    private readonly Random _random;

    private MultiInputActorCritic(DictSpace space, int actionCount, Random random, int hiddenSize, KernelParallelism? parallelism)
    {
        ObservationSpace = space;
        ActionCount = actionCount;
        HiddenSize = hiddenSize;
        _random = random;
        _extractor = new DictExtractor(space, hiddenSize, random) { Parallelism = parallelism };
        FeatureSize = _extractor.FeatureSize;
        _heads = new CategoricalHeads(FeatureSize, actionCount, random, parallelism);
        _parameters = new ParameterSet([.. _extractor.NamedParameters("extractors"), .. _heads.NamedParameters]);
    }

    /// <summary>The dict of parts this model observes.</summary>
    public DictSpace ObservationSpace { get; }

    /// <summary>Number of discrete actions.</summary>
    public int ActionCount { get; }

    /// <summary>Width of each image part's fully connected layer.</summary>
    public int HiddenSize { get; }

    /// <summary>Width of the concatenated features both heads read.</summary>
    public int FeatureSize { get; }

    /// <inheritdoc/>
    public int ObservationSize => ObservationSpace.FlatSize;

    /// <inheritdoc/>
    public int ActionSize => 1;

    /// <inheritdoc/>
    public PolicyVersion Version { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<NamedParameter> NamedParameters => _parameters.Named;

    /// <inheritdoc/>
    public int WeightCount => _parameters.WeightCount;

    /// <summary>Builds the network for a dict observation space and <paramref name="actionCount"/> discrete actions.</summary>
    /// <param name="observationSpace">The env's observation space; must be a <see cref="DictSpace"/>.</param>
    /// <param name="actionCount">Number of discrete actions.</param>
    /// <param name="random">Source of the initial weights and, afterwards, of sampled actions.</param>
    /// <param name="hiddenSize">Width of each image part's fully connected layer (512 in CleanRL).</param>
    /// <param name="parallelism">Threads the layers' kernels may use, or null for the calling thread only.</param>
    /// <exception cref="ArgumentException">The space is not a dict, or an image part is too small or channels-last.</exception>
    public static MultiInputActorCritic ForSpace(
        ISpace observationSpace, int actionCount, Random random, int hiddenSize = DefaultHiddenSize, KernelParallelism? parallelism = null)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ArgumentNullException.ThrowIfNull(random);
        if (observationSpace is not DictSpace space)
        {
            throw new ArgumentException(
                $"A multi-input policy observes a dict of named parts; got {observationSpace}. Use the MLP or CNN policy for a single box.", nameof(observationSpace));
        }

        return new MultiInputActorCritic(space, actionCount, random, hiddenSize, parallelism);
    }

    /// <inheritdoc/>
    public void Act(ReadOnlySpan<byte> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values) =>
        _heads.Act(Encode(observations, batch), batch, selection, _random, actions, logProbs, values);

    /// <inheritdoc/>
    public void EstimateValues(ReadOnlySpan<byte> observations, int batch, Span<float> values) =>
        _heads.EstimateValues(Encode(observations, batch), batch, values);

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<byte> observations, ReadOnlySpan<int> actions, int batch, Span<float> logProbs, Span<float> entropy, Span<float> values) =>
        _heads.Evaluate(Encode(observations, batch), actions, batch, logProbs, entropy, values);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients)
    {
        var features = _heads.Backward(logProbGradients, entropyGradients, valueGradients);
        _extractor.AccumulateParameterGradients(features);
    }

    /// <inheritdoc/>
    public void CopyWeightsTo(Span<float> destination) => _parameters.CopyTo(destination);

    /// <inheritdoc/>
    public void Load(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _parameters.LoadFrom(snapshot.Weights);
        Version = snapshot.Version;
    }

    /// <inheritdoc/>
    public void SetVersion(PolicyVersion version) => Version = version;

    private Tensor Encode(ReadOnlySpan<byte> observations, int batch)
    {
        _heads.Invalidate();
        return _extractor.Forward(observations, batch);
    }
}
