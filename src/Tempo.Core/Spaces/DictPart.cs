using System.Runtime.InteropServices;

namespace Tempo.Core.Spaces;

/// <summary>One named part of a <see cref="DictSpace"/>: its own space and where its elements sit in the dict's bytes.</summary>
/// <remarks>
/// A part is the resolved handle hot paths keep: <see cref="Get{T}(Span{byte})"/> slices and casts without any name lookup.
/// </remarks>
public sealed class DictPart
{
    internal DictPart(string name, int index, ISpace space, int elementSize, int byteOffset)
    {
        Name = name;
        Index = index;
        Space = space;
        ElementSize = elementSize;
        ByteOffset = byteOffset;
        ByteLength = checked(space.FlatSize * elementSize);
    }

    /// <summary>The part's name, unique within its dict.</summary>
    public string Name { get; }

    /// <summary>The part's position in <see cref="DictSpace.Parts"/> (parts are ordered by name).</summary>
    public int Index { get; }

    /// <summary>The part's own space (a <see cref="Space{T}"/> of <see cref="ISpace.ElementType"/>).</summary>
    public ISpace Space { get; }

    /// <summary>Bytes per element of the part.</summary>
    public int ElementSize { get; }

    /// <summary>Where the part starts in a dict value, in bytes; a multiple of <see cref="ElementSize"/>.</summary>
    public int ByteOffset { get; }

    /// <summary>How many bytes the part takes (its flat size times its element size).</summary>
    public int ByteLength { get; }

    /// <summary>The part's elements inside a whole dict value.</summary>
    /// <typeparam name="T">The part's element type.</typeparam>
    /// <param name="value">One dict value (at least <see cref="ByteOffset"/> + <see cref="ByteLength"/> bytes).</param>
    public Span<T> Get<T>(Span<byte> value)
        where T : unmanaged
    {
        RequireElementType<T>();
        return MemoryMarshal.Cast<byte, T>(value.Slice(ByteOffset, ByteLength));
    }

    /// <summary>The part's elements inside a whole dict value, read-only.</summary>
    /// <typeparam name="T">The part's element type.</typeparam>
    /// <param name="value">One dict value (at least <see cref="ByteOffset"/> + <see cref="ByteLength"/> bytes).</param>
    public ReadOnlySpan<T> Read<T>(ReadOnlySpan<byte> value)
        where T : unmanaged
    {
        RequireElementType<T>();
        return MemoryMarshal.Cast<byte, T>(value.Slice(ByteOffset, ByteLength));
    }

    /// <summary>The part's bytes inside a whole dict value.</summary>
    public Span<byte> Bytes(Span<byte> value) => value.Slice(ByteOffset, ByteLength);

    /// <summary>The part's bytes inside a whole dict value, read-only.</summary>
    public ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> value) => value.Slice(ByteOffset, ByteLength);

    /// <summary>Describes the part as Gymnasium prints a dict entry, e.g. <c>'features': Box(0, 1, (3,), float32)</c>.</summary>
    public override string ToString() => $"'{Name}': {Space}";

    internal bool Contains(ReadOnlySpan<byte> bytes) => Space switch
    {
        Space<byte> s => s.Contains(bytes),
        Space<float> s => s.Contains(MemoryMarshal.Cast<byte, float>(bytes)),
        Space<int> s => s.Contains(MemoryMarshal.Cast<byte, int>(bytes)),
        Space<double> s => s.Contains(MemoryMarshal.Cast<byte, double>(bytes)),
        _ => false,
    };

    internal void Sample(Random random, Span<byte> bytes)
    {
        switch (Space)
        {
            case Space<byte> s:
                s.Sample(random, bytes);
                break;
            case Space<float> s:
                s.Sample(random, MemoryMarshal.Cast<byte, float>(bytes));
                break;
            case Space<int> s:
                s.Sample(random, MemoryMarshal.Cast<byte, int>(bytes));
                break;
            case Space<double> s:
                s.Sample(random, MemoryMarshal.Cast<byte, double>(bytes));
                break;
        }
    }

    private void RequireElementType<T>()
        where T : unmanaged
    {
        if (typeof(T) != Space.ElementType)
        {
            throw new ArgumentException($"Part '{Name}' holds {Space.ElementType.Name} elements ({Space}); it cannot be read as {typeof(T).Name}.", nameof(T));
        }
    }
}
