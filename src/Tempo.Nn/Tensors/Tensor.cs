namespace Tempo.Nn.Tensors;

/// <summary>A contiguous, row-major float32 tensor that owns its storage.</summary>
/// <remarks>
/// The storage may be larger than the current shape so that a tensor can be reshaped to a smaller
/// batch without reallocating; <see cref="Span"/> always covers exactly the current shape.
/// </remarks>
public sealed class Tensor
{
    private float[] _data;
    private int[] _shape;

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    public Tensor(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _shape = (int[])shape.Clone();
        Length = CheckedLength(_shape);
        _data = new float[Length];
    }

    /// <summary>Creates a tensor over a copy of <paramref name="data"/> with the given shape.</summary>
    public Tensor(ReadOnlySpan<float> data, params int[] shape)
        : this(shape)
    {
        if (data.Length != Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] needs {Length} elements; got {data.Length}.", nameof(data));
        }

        data.CopyTo(_data);
    }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements in the current shape.</summary>
    public int Length { get; private set; }

    /// <summary>The elements of the current shape, row-major.</summary>
    public Span<float> Span => _data.AsSpan(0, Length);

    /// <summary>The backing array (at least <see cref="Length"/> elements); for kernels that take arrays.</summary>
    public float[] Storage => _data;

    /// <summary>The size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[axis < 0 ? _shape.Length + axis : axis];

    /// <summary>Changes the shape, growing the storage only when it is too small; contents are unspecified afterwards.</summary>
    public void Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Reshape((ReadOnlySpan<int>)shape);
    }

    /// <summary>Changes the shape without allocating unless the storage must grow or the rank changes; contents are unspecified afterwards.</summary>
    /// <remarks>
    /// Modules call this on every forward pass, so a same-rank reshape updates the dimensions in place:
    /// <see cref="Shape"/> always describes the current shape.
    /// </remarks>
    public void Reshape(params ReadOnlySpan<int> shape)
    {
        var length = CheckedLength(shape);
        if (length > _data.Length)
        {
            _data = new float[length];
        }

        if (!_shape.AsSpan().SequenceEqual(shape))
        {
            if (_shape.Length == shape.Length)
            {
                shape.CopyTo(_shape);
            }
            else
            {
                _shape = shape.ToArray();
            }
        }

        Length = length;
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <inheritdoc/>
    public override string ToString() => $"Tensor[{string.Join(", ", _shape)}]";

    private static int CheckedLength(ReadOnlySpan<int> shape)
    {
        var length = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), dimension, $"Tensor dimensions must be non-negative; got [{string.Join(", ", shape.ToArray())}].");
            }

            length = checked(length * dimension);
        }

        return length;
    }
}
