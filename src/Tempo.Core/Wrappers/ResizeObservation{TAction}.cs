using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Wrappers;

/// <summary>Resizes byte frames (<c>[height, width]</c> or <c>[height, width, channels]</c>) to a fixed size by area averaging.</summary>
/// <remarks>
/// <para>
/// As Gymnasium 0.29's <c>ResizeObservation(env, shape)</c>, which calls OpenCV's <c>resize</c> with <c>INTER_AREA</c>:
/// the observation becomes <c>[height, width]</c> followed by the inner frame's trailing axes (channels are kept).
/// Every output pixel is the mean of the source area it covers, source pixels weighted by the fraction of them that
/// lies inside (so 2×2 blocks are plain means when halving), rounded to the nearest byte with ties to even, as
/// OpenCV's general area path rounds. The weights are separable and computed once; a step makes one horizontal and
/// one vertical pass through buffers the wrapper owns and allocates nothing.
/// </para>
/// <para>
/// Differences from OpenCV: when enlarging, OpenCV's <c>INTER_AREA</c> switches to bilinear interpolation while this
/// wrapper keeps averaging areas (each output pixel covers part of one or two source pixels); and OpenCV's integer-ratio
/// fast path rounds exact halves up where this wrapper rounds them to even. Shrinking frames, what the Atari
/// preprocessing does, is otherwise the same computation.
/// </para>
/// </remarks>
public sealed class ResizeObservation<TAction> : EnvWrapper<byte, TAction>
    where TAction : unmanaged
{
    private readonly BoxSpace<byte> _observationSpace;
    private readonly AreaWeights _rows;
    private readonly AreaWeights _columns;
    private readonly byte[] _frame;
    private readonly float[] _rowsResized;
    private readonly int _channels;
    private readonly int _innerWidth;

    /// <summary>Wraps <paramref name="inner"/>, whose observation space must be a byte box of rank 2 or 3, resizing its frames to <paramref name="height"/> × <paramref name="width"/>.</summary>
    public ResizeObservation(IEnv<byte, TAction> inner, int height, int width)
        : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (inner.ObservationSpace is not BoxSpace<byte> { Shape.Count: 2 or 3 } frameSpace)
        {
            throw new ArgumentException(
                $"ResizeObservation needs byte frames of shape [height, width] or [height, width, channels]; got {inner.ObservationSpace}.", nameof(inner));
        }

        var innerHeight = frameSpace.Shape[0];
        _innerWidth = frameSpace.Shape[1];
        _channels = frameSpace.Shape.Count == 3 ? frameSpace.Shape[2] : 1;
        Height = height;
        Width = width;
        int[] shape = frameSpace.Shape.Count == 3 ? [height, width, _channels] : [height, width];
        _observationSpace = new BoxSpace<byte>(0, 255, shape);
        _rows = new AreaWeights(innerHeight, height);
        _columns = new AreaWeights(_innerWidth, width);
        _frame = new byte[frameSpace.FlatSize];
        _rowsResized = new float[checked(innerHeight * width * _channels)];
    }

    /// <summary>Height of the resized frames.</summary>
    public int Height { get; }

    /// <summary>Width of the resized frames.</summary>
    public int Width { get; }

    /// <inheritdoc/>
    public override Space<byte> ObservationSpace => _observationSpace;

    /// <inheritdoc/>
    public override void Reset(Span<byte> observation, int? seed = null)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        Inner.Reset(_frame, seed);
        Resize(observation);
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<byte> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        var result = Inner.Step(action, _frame);
        Resize(observation);
        return result;
    }

    /// <summary>Resumes the inner env and resizes its fresh frame.</summary>
    /// <inheritdoc/>
    public override void Resume(Span<byte> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        InnerPausable.Resume(_frame);
        Resize(observation);
    }

    private void Resize(Span<byte> observation)
    {
        // Horizontal pass: every source row to the output width, in float (channels interleaved, as stored).
        var channels = _channels;
        var sourceRowLength = _innerWidth * channels;
        var resizedRowLength = Width * channels;
        for (var y = 0; y < _rows.SourceSize; y++)
        {
            var source = _frame.AsSpan(y * sourceRowLength, sourceRowLength);
            var target = _rowsResized.AsSpan(y * resizedRowLength, resizedRowLength);
            for (var x = 0; x < Width; x++)
            {
                var first = _columns.First(x);
                var weights = _columns.Weights(x);
                for (var c = 0; c < channels; c++)
                {
                    var sum = 0f;
                    for (var k = 0; k < weights.Length; k++)
                    {
                        sum += weights[k] * source[((first + k) * channels) + c];
                    }

                    target[(x * channels) + c] = sum;
                }
            }
        }

        // Vertical pass: weighted sums of resized rows, rounded to bytes.
        for (var y = 0; y < Height; y++)
        {
            var first = _rows.First(y);
            var weights = _rows.Weights(y);
            var target = observation.Slice(y * resizedRowLength, resizedRowLength);
            for (var i = 0; i < resizedRowLength; i++)
            {
                var sum = 0f;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * _rowsResized[((first + k) * resizedRowLength) + i];
                }

                target[i] = (byte)Math.Clamp(MathF.Round(sum), 0f, 255f);
            }
        }
    }

    /// <summary>For each output index along one axis, the first source index it covers and the weights of the source pixels it covers.</summary>
    private sealed class AreaWeights
    {
        private readonly int[] _first;
        private readonly int[] _offset;
        private readonly float[] _weights;

        public AreaWeights(int sourceSize, int targetSize)
        {
            SourceSize = sourceSize;
            _first = new int[targetSize];
            _offset = new int[targetSize + 1];
            var weights = new List<float>();
            var scale = (double)sourceSize / targetSize;
            for (var o = 0; o < targetSize; o++)
            {
                // Output pixel o covers the source interval [o·scale, (o + 1)·scale); each source pixel counts by its overlap.
                var low = o * scale;
                var high = (o + 1) * scale;
                var first = Math.Min((int)Math.Floor(low), sourceSize - 1);
                var last = Math.Min((int)Math.Ceiling(high) - 1, sourceSize - 1);
                _first[o] = first;
                _offset[o] = weights.Count;
                for (var i = first; i <= last; i++)
                {
                    var overlap = Math.Min(i + 1, high) - Math.Max(i, low);
                    weights.Add((float)(Math.Max(overlap, 0) / scale));
                }
            }

            _offset[targetSize] = weights.Count;
            _weights = [.. weights];
        }

        public int SourceSize { get; }

        public int First(int target) => _first[target];

        public ReadOnlySpan<float> Weights(int target) => _weights.AsSpan(_offset[target], _offset[target + 1] - _offset[target]);
    }
}
