using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tempo.Algorithms.Policies;
using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Models;

/// <summary>CleanRL's <c>ppo_atari.py</c> agent: a Nature-CNN torso over byte frames, shared by a linear policy head (logits) and a linear value head.</summary>
/// <remarks>
/// <para>
/// Observations are byte frames, <c>[channels, height, width]</c> row-major (e.g. 4 stacked 84×84 grey frames); the
/// torso divides them by 255 on the way in (CleanRL's <c>self.network(x / 255.0)</c>), then runs conv 32 8×8/4, conv 64
/// 4×4/2, conv 64 3×3/1, flatten, linear to <see cref="HiddenSize"/> (512), each followed by ReLU. The convolutions'
/// geometry follows the frame size; frames smaller than <see cref="NatureCnn.MinimumFrameSize"/> on a side are rejected.
/// </para>
/// <para>
/// Initialized as CleanRL's <c>layer_init</c>: orthogonal weights with gain √2 in the torso, 0.01 for the policy head and
/// 1 for the value head, zero biases. Parameters are named as CleanRL's module: <c>network.0.*</c>, <c>network.2.*</c>,
/// <c>network.4.*</c>, <c>network.7.*</c>, <c>actor.*</c>, <c>critic.*</c>.
/// </para>
/// <para>
/// Acting, value estimates and training share one set of layer buffers, sized by the largest batch seen, so acting at
/// any batch up to that allocates nothing. An <see cref="Act"/> or <see cref="EstimateValues"/> call between
/// <see cref="Evaluate"/> and <see cref="Backward"/> overwrites what the backward pass needs, so <see cref="Backward"/>
/// then refuses to run. With a <see cref="KernelParallelism"/> the convolutions and linear layers split large calls
/// across its threads (the learner's minibatches); the instance must not be used by another caller at the same time.
/// </para>
/// </remarks>
public sealed class CategoricalCnnActorCritic : IActorCritic<byte, int>
{
    /// <summary>Width of the torso's fully connected layer in the Nature CNN and in CleanRL.</summary>
    public const int DefaultHiddenSize = 512;

    private readonly NatureCnn _torso;
    private readonly CategoricalHeads _heads;
    private readonly ParameterSet _parameters;
    private readonly Random _random;

    /// <summary>Builds the network for frames of <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/> pixels and <paramref name="actionCount"/> actions.</summary>
    /// <param name="channels">Channels per observation (stacked frames, or colour planes).</param>
    /// <param name="height">Frame height in pixels (at least <see cref="NatureCnn.MinimumFrameSize"/>).</param>
    /// <param name="width">Frame width in pixels (at least <see cref="NatureCnn.MinimumFrameSize"/>).</param>
    /// <param name="actionCount">Number of discrete actions.</param>
    /// <param name="random">Source of the initial weights and, afterwards, of sampled actions.</param>
    /// <param name="hiddenSize">Width of the torso's fully connected layer (512 in CleanRL).</param>
    /// <param name="parallelism">Threads the layers' kernels may use, or null for the calling thread only.</param>
    public CategoricalCnnActorCritic(
        int channels, int height, int width, int actionCount, Random random, int hiddenSize = DefaultHiddenSize, KernelParallelism? parallelism = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        _random = random ?? throw new ArgumentNullException(nameof(random));
        if (height < NatureCnn.MinimumFrameSize || width < NatureCnn.MinimumFrameSize)
        {
            throw new ArgumentException(
                $"The Nature CNN's three convolutions need frames of at least {NatureCnn.MinimumFrameSize}×{NatureCnn.MinimumFrameSize} pixels; "
                + $"got {height}×{width} (height × width). Render larger frames or resize them (ResizeObservation).",
                nameof(height));
        }

        Channels = channels;
        FrameHeight = height;
        FrameWidth = width;
        ActionCount = actionCount;
        HiddenSize = hiddenSize;
        ObservationSize = checked(channels * height * width);

        // CleanRL's Agent: network, then actor, then critic, each layer_init'ed as it is made.
        _torso = NatureCnn.CreateOrthogonal(channels, height, width, LayerInit.HiddenGain, random, hiddenSize);
        _heads = new CategoricalHeads(hiddenSize, actionCount, random, parallelism);
        _torso.Parallelism = parallelism;
        _parameters = new ParameterSet([.. _torso.NamedParameters("network"), .. _heads.NamedParameters]);
    }

    /// <summary>Channels per observation.</summary>
    public int Channels { get; }

    /// <summary>Frame height in pixels.</summary>
    public int FrameHeight { get; }

    /// <summary>Frame width in pixels.</summary>
    public int FrameWidth { get; }

    /// <summary>Number of discrete actions.</summary>
    public int ActionCount { get; }

    /// <summary>Width of the torso's fully connected layer, the features both heads read.</summary>
    public int HiddenSize { get; }

    /// <inheritdoc/>
    public int ObservationSize { get; }

    /// <inheritdoc/>
    public int ActionSize => 1;

    /// <inheritdoc/>
    public PolicyVersion Version { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<NamedParameter> NamedParameters => _parameters.Named;

    /// <inheritdoc/>
    public int WeightCount => _parameters.WeightCount;

    /// <summary>Builds the network for an observation space's shape: <c>[channels, height, width]</c>, or <c>[height, width]</c> or <c>[height, width, 1]</c> for one channel.</summary>
    /// <param name="observationShape">The shape of one observation.</param>
    /// <param name="actionCount">Number of discrete actions.</param>
    /// <param name="random">Source of the initial weights and, afterwards, of sampled actions.</param>
    /// <param name="hiddenSize">Width of the torso's fully connected layer (512 in CleanRL).</param>
    /// <param name="parallelism">Threads the layers' kernels may use, or null for the calling thread only.</param>
    /// <exception cref="ArgumentException">The shape is not an image's, or the frames are too small.</exception>
    public static CategoricalCnnActorCritic ForObservationShape(
        IReadOnlyList<int> observationShape, int actionCount, Random random, int hiddenSize = DefaultHiddenSize, KernelParallelism? parallelism = null)
    {
        ArgumentNullException.ThrowIfNull(observationShape);
        return observationShape switch
        {
            // [H, W, 1] (GrayscaleObservation with keepDimension) holds the same bytes as [1, H, W].
            [var height, var width, 1] => new CategoricalCnnActorCritic(1, height, width, actionCount, random, hiddenSize, parallelism),
            [_, _, 3 or 4] => throw new ArgumentException(
                $"Frames of shape ({string.Join(", ", observationShape)}) look channels-last (Gymnasium's RGB layout); the CNN takes [channels, height, width]. "
                + "Turn them grey first (GrayscaleObservation).",
                nameof(observationShape)),
            [var channels, var height, var width] => new CategoricalCnnActorCritic(channels, height, width, actionCount, random, hiddenSize, parallelism),
            [var height, var width] => new CategoricalCnnActorCritic(1, height, width, actionCount, random, hiddenSize, parallelism),
            _ => throw new ArgumentException(
                $"A CNN policy observes frames of shape [channels, height, width] or [height, width]; got ({string.Join(", ", observationShape)}).",
                nameof(observationShape)),
        };
    }

    /// <inheritdoc/>
    public void Act(ReadOnlySpan<byte> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values) =>
        _heads.Act(ForwardTorso(observations, batch), batch, selection, _random, actions, logProbs, values);

    /// <inheritdoc/>
    public void EstimateValues(ReadOnlySpan<byte> observations, int batch, Span<float> values) =>
        _heads.EstimateValues(ForwardTorso(observations, batch), batch, values);

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<byte> observations, ReadOnlySpan<int> actions, int batch, Span<float> logProbs, Span<float> entropy, Span<float> values) =>
        _heads.Evaluate(ForwardTorso(observations, batch), actions, batch, logProbs, entropy, values);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients) =>
        _torso.AccumulateParameterGradients(_heads.Backward(logProbGradients, entropyGradients, valueGradients));

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

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTooFewObservations(int batch, int length, string paramName) =>
        throw new ArgumentException($"{batch} observations of {ObservationSize} bytes ({Channels}×{FrameHeight}×{FrameWidth}) need {(long)batch * ObservationSize}; got {length}.", paramName);

    private Tensor ForwardTorso(ReadOnlySpan<byte> observations, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        var length = (long)batch * ObservationSize;
        if (observations.Length < length)
        {
            ThrowTooFewObservations(batch, observations.Length, nameof(observations));
        }

        _heads.Invalidate();
        return _torso.Forward(observations[..(int)length], batch);
    }
}
