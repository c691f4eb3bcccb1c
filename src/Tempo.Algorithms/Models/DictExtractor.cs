using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tempo.Core.Spaces;
using Tempo.Nn.Initialization;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Models;

/// <summary>SB3's <c>CombinedExtractor</c>: encodes each part of a dict observation on its own and concatenates the features in part (name) order.</summary>
/// <remarks>
/// <para>A byte part shaped as an image — <c>[channels, height, width]</c>, <c>[height, width]</c> or
/// <c>[height, width, 1]</c> — is divided by 255 and encoded by a Nature CNN with its ReLU fully connected layer of
/// <see cref="HiddenSize"/> features. Every other part (floats, ints, byte vectors) is flattened, taken as it is, and
/// encoded by CleanRL's MLP torso: two tanh layers of <see cref="VectorHiddenSize"/>. Orthogonal initialization with
/// gain √2 throughout (CleanRL's <c>layer_init</c>). Children are named by part, so parameters read
/// <c>{part}.0.weight</c> … (the CNN's <c>0, 2, 4, 7</c>; the MLP's <c>0, 2</c>).</para>
/// <para>Observations are data: the extractor computes parameter gradients only (<see cref="Module.AccumulateParameterGradients"/>).
/// Its input is the dict's bytes, so it runs through <see cref="Forward(ReadOnlySpan{byte}, int)"/>; buffers grow with
/// the largest batch seen, so it allocates nothing in steady state.</para>
/// </remarks>
public sealed class DictExtractor : Module
{
    /// <summary>Width of the two tanh layers of each vector part's MLP (CleanRL's MLP agent).</summary>
    public const int VectorHiddenSize = 64;

    private readonly DictPartEncoder[] _encoders;
    private readonly Tensor _features;
    private readonly Tensor[] _encoderGradients;

    /// <summary>Builds one encoder per part of <paramref name="space"/>.</summary>
    /// <param name="space">The dict observation space.</param>
    /// <param name="hiddenSize">Width of each image part's fully connected layer (512 in the Nature CNN).</param>
    /// <param name="random">The source of the initial weights.</param>
    /// <exception cref="ArgumentException">An image part is too small or channels-last.</exception>
    public DictExtractor(DictSpace space, int hiddenSize, Random random)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ArgumentNullException.ThrowIfNull(random);
        Space = space;
        HiddenSize = hiddenSize;
        _encoders = [.. space.Parts.Select(part => CreateEncoder(part, hiddenSize, random))];
        foreach (var encoder in _encoders)
        {
            RegisterChild(encoder.Part.Name, encoder.Network);
        }

        FeatureSize = _encoders.Sum(e => e.OutputSize);
        _features = new Tensor(0, FeatureSize);
        _encoderGradients = [.. _encoders.Select(e => new Tensor(0, e.OutputSize))];
    }

    /// <summary>The dict of parts it encodes.</summary>
    public DictSpace Space { get; }

    /// <summary>Width of each image part's fully connected layer.</summary>
    public int HiddenSize { get; }

    /// <summary>Width of the concatenated features.</summary>
    public int FeatureSize { get; }

    /// <summary>Bytes of one observation.</summary>
    public int ObservationSize => Space.FlatSize;

    /// <summary>The features <c>[batch, FeatureSize]</c> of <paramref name="batch"/> observations (the parts' bytes end to end), valid until the next forward pass.</summary>
    /// <exception cref="ArgumentException">Fewer than <paramref name="batch"/> observations' bytes were given.</exception>
    public Tensor Forward(ReadOnlySpan<byte> observations, int batch)
    {
        InvalidateForward();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        var stride = ObservationSize;
        if (observations.Length < (long)batch * stride)
        {
            ThrowTooFewObservations(batch, observations.Length, nameof(observations));
        }

        _features.Reshape(batch, FeatureSize);
        var features = _features.Span;
        var column = 0;
        foreach (var encoder in _encoders)
        {
            var encoded = encoder.Forward(observations, batch, stride).Span;
            var width = encoder.OutputSize;
            for (var b = 0; b < batch; b++)
            {
                encoded.Slice(b * width, width).CopyTo(features.Slice((b * FeatureSize) + column, width));
            }

            column += width;
        }

        return CompleteForward(_features);
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: a dict observation is bytes, not a float tensor.</exception>
    protected override Tensor ForwardCore(Tensor input) =>
        throw new NotSupportedException($"A dict extractor reads observations of {Space} as bytes: call Forward(ReadOnlySpan<byte>, batch).");

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        if (computeInputGradient)
        {
            throw new InvalidOperationException("A dict extractor's input is observation bytes, which have no gradient: use AccumulateParameterGradients.");
        }

        // Each encoder takes its columns of the feature gradient.
        var sum = outputGradient.Span;
        var batch = outputGradient.Dim(0);
        var column = 0;
        for (var e = 0; e < _encoders.Length; e++)
        {
            var width = _encoders[e].OutputSize;
            var gradient = _encoderGradients[e];
            gradient.Reshape(batch, width);
            var span = gradient.Span;
            for (var b = 0; b < batch; b++)
            {
                sum.Slice((b * FeatureSize) + column, width).CopyTo(span.Slice(b * width, width));
            }

            _encoders[e].AccumulateParameterGradients(gradient);
            column += width;
        }

        return null;
    }

    private static DictPartEncoder CreateEncoder(DictPart part, int hiddenSize, Random random)
    {
        if (part.Space is not BoxSpace<byte> { Shape.Count: 2 or 3 } image)
        {
            return VectorPartEncoder.Create(part, VectorHiddenSize, random);
        }

        (int channels, int height, int width) = image.Shape switch
        {
            // [H, W, 1] (GrayscaleObservation with keepDimension) holds the same bytes as [1, H, W].
            [var h, var w, 1] => (1, h, w),
            [_, _, 3 or 4] => throw new ArgumentException(
                $"Part '{part.Name}' has frames of shape ({string.Join(", ", image.Shape)}), which look channels-last (Gymnasium's RGB layout); "
                + "the CNN takes [channels, height, width]. Turn them grey first (GrayscaleObservation).",
                nameof(part)),
            [var c, var h, var w] => (c, h, w),
            [var h, var w] => (1, h, w),
            _ => throw new System.Diagnostics.UnreachableException(),
        };
        if (height < NatureCnn.MinimumFrameSize || width < NatureCnn.MinimumFrameSize)
        {
            throw new ArgumentException(
                $"Part '{part.Name}' has {height}×{width} frames (height × width); the Nature CNN's three convolutions need at least "
                + $"{NatureCnn.MinimumFrameSize}×{NatureCnn.MinimumFrameSize}. Render larger frames or resize them (ResizeObservation).",
                nameof(part));
        }

        return new ImagePartEncoder(part, NatureCnn.CreateOrthogonal(channels, height, width, LayerInit.HiddenGain, random, hiddenSize));
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTooFewObservations(int batch, int length, string paramName) =>
        throw new ArgumentException($"{batch} observations of {ObservationSize} bytes ({Space}) need {(long)batch * ObservationSize}; got {length}.", paramName);
}
