using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics.X86;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;

namespace Tempo.Runtime.Checksums;

/// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of TFRecord framing and of the segment wire format.</summary>
/// <remarks>
/// Two paths that must agree: slicing-by-8 tables (Intel's "slicing-by-8", Kounavis and Berry 2005) and the CPU's
/// CRC-32C instruction (SSE4.2 <c>crc32</c> or ARMv8 <c>crc32c</c>) through <see cref="BitOperations.Crc32C(uint, ulong)"/>.
/// </remarks>
internal static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78;

    // Eight 256-entry tables, back to back: table k advances the CRC over a byte followed by k zero bytes.
    private static readonly uint[] _tables = BuildTables();

    /// <summary>Whether the CPU computes CRC-32C in hardware (otherwise the table path is used).</summary>
    public static bool IsHardwareAccelerated => Sse42.IsSupported || ArmCrc32.IsSupported;

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues <paramref name="crc"/> (the CRC of earlier data) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) =>
        IsHardwareAccelerated ? AppendWithIntrinsics(crc, data) : AppendWithTables(crc, data);

    /// <summary>Continues a CRC with the slicing-by-8 tables.</summary>
    internal static uint AppendWithTables(uint crc, ReadOnlySpan<byte> data)
    {
        var tables = _tables.AsSpan();
        var state = ~crc;
        while (data.Length >= 8)
        {
            var low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ state;
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            state = tables[(7 * 256) + (int)(low & 0xFF)]
                ^ tables[(6 * 256) + (int)((low >> 8) & 0xFF)]
                ^ tables[(5 * 256) + (int)((low >> 16) & 0xFF)]
                ^ tables[(4 * 256) + (int)(low >> 24)]
                ^ tables[(3 * 256) + (int)(high & 0xFF)]
                ^ tables[(2 * 256) + (int)((high >> 8) & 0xFF)]
                ^ tables[256 + (int)((high >> 16) & 0xFF)]
                ^ tables[(int)(high >> 24)];
            data = data[8..];
        }

        foreach (var value in data)
        {
            state = (state >> 8) ^ tables[(int)((state ^ value) & 0xFF)];
        }

        return ~state;
    }

    /// <summary>Continues a CRC with the CPU's CRC-32C instruction (a slow software fallback inside the BCL when there is none).</summary>
    internal static uint AppendWithIntrinsics(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var value in data)
        {
            state = BitOperations.Crc32C(state, value);
        }

        return ~state;
    }

    private static uint[] BuildTables()
    {
        var tables = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            var crc = n;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            }

            tables[n] = crc;
        }

        for (var k = 1; k < 8; k++)
        {
            for (var n = 0; n < 256; n++)
            {
                var previous = tables[((k - 1) * 256) + n];
                tables[(k * 256) + n] = (previous >> 8) ^ tables[(int)(previous & 0xFF)];
            }
        }

        return tables;
    }
}
