namespace Tempo.Core.Spaces;

/// <summary>A dict of named parts, each with its own space, element type and shape; a value is the parts' bytes laid end to end.</summary>
/// <remarks>
/// <para>
/// Everything downstream of an env (vector envs, segments, the wire codec, learners) is generic over one element
/// type, so a dict observation travels as <see cref="byte"/>s: <c>IEnv&lt;byte, TAction&gt;</c> with a
/// <see cref="DictSpace"/> needs no parallel type hierarchy. Models and wrappers read a part through its
/// <see cref="DictPart"/> handle (<see cref="DictPart.Get{T}(Span{byte})"/>), which casts the part's bytes in place.
/// </para>
/// <para>
/// Parts are ordered by name (ordinal), as Gymnasium orders a <c>Dict</c> built from a plain dict, so the layout depends
/// only on the parts, never on the order a caller listed them in: two hosts that build the same dict agree on its bytes.
/// Each part starts at a multiple of its element size and the whole value is padded to the largest element size, so
/// every part of every value in an array of values is aligned. Padding bytes are zero in every member of the space.
/// Supported part element types: <see cref="byte"/>, <see cref="int"/>, <see cref="float"/>, <see cref="double"/>;
/// dicts do not nest.
/// </para>
/// </remarks>
public sealed class DictSpace : Space<byte>
{
    private readonly DictPart[] _parts;

    /// <summary>Creates a dict of the given named parts (laid out in name order).</summary>
    /// <param name="parts">Part names and spaces; at least one, names non-empty.</param>
    public DictSpace(IReadOnlyDictionary<string, ISpace> parts)
        : base([Layout(parts, out var layout)])
    {
        _parts = layout;
    }

    /// <summary>The parts in layout (name) order.</summary>
    public IReadOnlyList<DictPart> Parts => _parts;

    /// <summary>The part called <paramref name="name"/>; resolve once and keep the handle on hot paths.</summary>
    /// <exception cref="KeyNotFoundException">No part has that name.</exception>
    public DictPart this[string name] => TryGetPart(name, out var part)
        ? part
        : throw new KeyNotFoundException($"{this} has no part named '{name}'.");

    /// <summary>Finds the part called <paramref name="name"/>.</summary>
    public bool TryGetPart(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DictPart? part)
    {
        foreach (var candidate in _parts)
        {
            if (candidate.Name == name)
            {
                part = candidate;
                return true;
            }
        }

        part = null;
        return false;
    }

    /// <summary>The elements of part <paramref name="name"/> inside <paramref name="value"/> (looks the name up; hot paths keep a <see cref="DictPart"/>).</summary>
    /// <typeparam name="T">The part's element type.</typeparam>
    public Span<T> GetPart<T>(Span<byte> value, string name)
        where T : unmanaged
    {
        RequireLength(value.Length, nameof(value));
        return this[name].Get<T>(value);
    }

    /// <inheritdoc/>
    /// <remarks>A member has every part inside its own space and zero padding bytes.</remarks>
    public override bool Contains(ReadOnlySpan<byte> value)
    {
        if (value.Length != FlatSize)
        {
            return false;
        }

        var end = 0;
        foreach (var part in _parts)
        {
            if (value[end..part.ByteOffset].ContainsAnyExcept((byte)0) || !part.Contains(part.ReadBytes(value)))
            {
                return false;
            }

            end = part.ByteOffset + part.ByteLength;
        }

        return !value[end..].ContainsAnyExcept((byte)0);
    }

    /// <inheritdoc/>
    public override void Sample(Random random, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        RequireLength(destination.Length, nameof(destination));
        destination.Clear();
        foreach (var part in _parts)
        {
            part.Sample(random, part.Bytes(destination));
        }
    }

    /// <summary>Zeroes the padding bytes of <paramref name="value"/>, for writers that fill the parts one by one.</summary>
    public void ClearPadding(Span<byte> value)
    {
        RequireLength(value.Length, nameof(value));
        var end = 0;
        foreach (var part in _parts)
        {
            value[end..part.ByteOffset].Clear();
            end = part.ByteOffset + part.ByteLength;
        }

        value[end..].Clear();
    }

    /// <summary>Describes the dict as Gymnasium prints it: <c>Dict('features': Box(…), 'frames': Box(0, 255, (4, 64, 64), uint8))</c>.</summary>
    public override string ToString() => $"Dict({string.Join(", ", _parts.Select(p => p.ToString()))})";

    private static int Layout(IReadOnlyDictionary<string, ISpace> parts, out DictPart[] layout)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("A dict space needs at least one part.", nameof(parts));
        }

        layout = new DictPart[parts.Count];
        var offset = 0;
        var alignment = 1;
        var index = 0;
        foreach (var (name, space) in parts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"Dict part names must not be empty; got '{name}'.", nameof(parts));
            }

            var elementSize = space switch
            {
                null => throw new ArgumentException($"Dict part '{name}' has no space.", nameof(parts)),
                DictSpace => throw new ArgumentException($"Dict part '{name}' is itself a dict ({space}); dicts do not nest.", nameof(parts)),
                Space<byte> => sizeof(byte),
                Space<int> => sizeof(int),
                Space<float> => sizeof(float),
                Space<double> => sizeof(double),
                _ => throw new ArgumentException(
                    $"Dict part '{name}' is {space} with {space.ElementType.Name} elements; parts hold byte, int, float or double.", nameof(parts)),
            };
            offset = AlignUp(offset, elementSize);
            layout[index] = new DictPart(name, index, space, elementSize, offset);
            offset = checked(offset + layout[index].ByteLength);
            alignment = Math.Max(alignment, elementSize);
            index++;
        }

        return AlignUp(offset, alignment);
    }

    private static int AlignUp(int offset, int alignment) => checked((offset + alignment - 1) / alignment * alignment);
}
