namespace Tempo.Core.Spaces;

/// <summary>A set of valid values whose elements are <typeparamref name="T"/>, laid out flat in a span.</summary>
/// <typeparam name="T">The element type (<see cref="float"/>, <see cref="byte"/> or <see cref="int"/>).</typeparam>
public abstract class Space<T> : ISpace
    where T : unmanaged
{
    private readonly int[] _shape;

    /// <summary>Creates a space of the given shape.</summary>
    protected Space(ReadOnlySpan<int> shape)
    {
        foreach (var dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension, nameof(shape));
        }

        _shape = shape.ToArray();
        var size = 1;
        foreach (var dimension in _shape)
        {
            size = checked(size * dimension);
        }

        FlatSize = size;
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> Shape => _shape;

    /// <inheritdoc/>
    public int FlatSize { get; }

    /// <inheritdoc/>
    public Type ElementType => typeof(T);

    /// <summary>Whether <paramref name="value"/> (of length <see cref="FlatSize"/>) is a member of the space.</summary>
    public abstract bool Contains(ReadOnlySpan<T> value);

    /// <summary>Writes a random member of the space into <paramref name="destination"/>.</summary>
    public abstract void Sample(Random random, Span<T> destination);

    /// <summary>Formats the shape as Gymnasium prints it, e.g. <c>(4,)</c> or <c>(4, 84, 84)</c>.</summary>
    protected string FormatShape() => _shape.Length == 1 ? $"({_shape[0]},)" : $"({string.Join(", ", _shape)})";

    /// <summary>Throws unless <paramref name="length"/> equals <see cref="FlatSize"/>.</summary>
    protected void RequireLength(int length, string parameterName)
    {
        if (length != FlatSize)
        {
            throw new ArgumentException($"Expected a buffer of {FlatSize} elements for {this}, got {length}.", parameterName);
        }
    }
}
