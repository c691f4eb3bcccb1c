using System.Numerics;
using System.Runtime.InteropServices;

namespace Tempo.Runtime.Transport.Wire;

/// <summary>Checks on raw little-endian arrays inside a received message: NaN and infinity scans and discrete action ranges.</summary>
internal static class WireValues
{
    /// <summary>The largest value of an integer element type, or <see langword="null"/> for a float type.</summary>
    public static ulong? LargestInteger(WireElementType type) => type switch
    {
        WireElementType.UInt8 => byte.MaxValue,
        WireElementType.Int8 => (ulong)sbyte.MaxValue,
        WireElementType.UInt16 => ushort.MaxValue,
        WireElementType.Int16 => (ulong)short.MaxValue,
        WireElementType.UInt32 => uint.MaxValue,
        WireElementType.Int32 => int.MaxValue,
        WireElementType.UInt64 => ulong.MaxValue,
        WireElementType.Int64 => long.MaxValue,
        _ => null,
    };

    /// <summary>Whether a float array of element type <paramref name="type"/> holds a NaN; integer arrays never do.</summary>
    public static bool ContainsNaN(WireElementType type, ReadOnlySpan<byte> bytes) => type switch
    {
        WireElementType.Float32 => ContainsNaN(MemoryMarshal.Cast<byte, float>(bytes)),
        WireElementType.Float64 => ContainsNaN(MemoryMarshal.Cast<byte, double>(bytes)),
        WireElementType.Float16 => ContainsNaN(MemoryMarshal.Cast<byte, Half>(bytes)),
        _ => false,
    };

    /// <summary>Whether a float array of element type <paramref name="type"/> holds a NaN or infinity; integer arrays never do.</summary>
    public static bool ContainsNonFinite(WireElementType type, ReadOnlySpan<byte> bytes) => type switch
    {
        WireElementType.Float32 => ContainsNonFinite(MemoryMarshal.Cast<byte, float>(bytes)),
        WireElementType.Float64 => ContainsNonFinite(MemoryMarshal.Cast<byte, double>(bytes)),
        WireElementType.Float16 => ContainsNonFinite(MemoryMarshal.Cast<byte, Half>(bytes)),
        _ => false,
    };

    /// <summary>Whether an integer array of element type <paramref name="type"/> holds a value outside <c>[0, count)</c>; float arrays are not checked.</summary>
    public static bool ContainsOutOfRange(WireElementType type, ReadOnlySpan<byte> bytes, int count) => type switch
    {
        WireElementType.UInt8 => ContainsOutOfRange<byte>(bytes, count),
        WireElementType.Int8 => ContainsOutOfRange<sbyte>(bytes, count),
        WireElementType.UInt16 => ContainsOutOfRange<ushort>(bytes, count),
        WireElementType.Int16 => ContainsOutOfRange<short>(bytes, count),
        WireElementType.UInt32 => ContainsOutOfRange<uint>(bytes, count),
        WireElementType.Int32 => ContainsOutOfRange<int>(bytes, count),
        WireElementType.UInt64 => ContainsOutOfRange<ulong>(bytes, count),
        WireElementType.Int64 => ContainsOutOfRange<long>(bytes, count),
        _ => false,
    };

    /// <summary>Whether any integer is outside <c>[0, count)</c>.</summary>
    public static bool ContainsOutOfRange<T>(ReadOnlySpan<byte> bytes, int count)
        where T : unmanaged, IBinaryInteger<T> =>
        MemoryMarshal.Cast<byte, T>(bytes).IndexOfAnyExceptInRange(T.Zero, T.CreateTruncating(count - 1)) >= 0;

    /// <summary>Whether any value is NaN.</summary>
    public static bool ContainsNaN<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var start = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && values.Length >= Vector<T>.Count)
        {
            // NaN is the only value not equal to itself.
            foreach (var vector in MemoryMarshal.Cast<T, Vector<T>>(values))
            {
                if (!Vector.EqualsAll(vector, vector))
                {
                    return true;
                }
            }

            start = values.Length - (values.Length % Vector<T>.Count);
        }

        foreach (var value in values[start..])
        {
            if (T.IsNaN(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any value is NaN or infinite.</summary>
    public static bool ContainsNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var start = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && values.Length >= Vector<T>.Count)
        {
            // x − x is 0 for finite x and NaN for ±∞ and NaN.
            foreach (var vector in MemoryMarshal.Cast<T, Vector<T>>(values))
            {
                if (!Vector.EqualsAll(vector - vector, Vector<T>.Zero))
                {
                    return true;
                }
            }

            start = values.Length - (values.Length % Vector<T>.Count);
        }

        foreach (var value in values[start..])
        {
            if (!T.IsFinite(value))
            {
                return true;
            }
        }

        return false;
    }
}
