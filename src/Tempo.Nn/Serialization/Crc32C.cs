using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;

namespace Tempo.Nn.Serialization;

/// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of iSCSI, ext4 and SSE4.2's <c>crc32</c> instruction.</summary>
/// <remarks>
/// System.IO.Hashing is a package, and Tempo.Nn takes none, so this is implemented here: with the hardware
/// instruction where the CPU has one (x64 SSE4.2, Arm64 CRC32), else with a 256-entry table. Both give the
/// same values; the check value of the ASCII bytes "123456789" is 0xE3069283.
/// </remarks>
public static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78;

    private static readonly uint[] _table = CreateTable();

    /// <summary>Returns the CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Returns the CRC of the bytes checksummed by <paramref name="crc"/> followed by <paramref name="data"/>; start from 0.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        if (Sse42.X64.IsSupported)
        {
            while (data.Length >= sizeof(ulong))
            {
                state = (uint)Sse42.X64.Crc32(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }

            foreach (var value in data)
            {
                state = Sse42.Crc32(state, value);
            }

            return ~state;
        }

        if (ArmCrc32.Arm64.IsSupported)
        {
            while (data.Length >= sizeof(ulong))
            {
                state = ArmCrc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }

            foreach (var value in data)
            {
                state = ArmCrc32.ComputeCrc32C(state, value);
            }

            return ~state;
        }

        return ~AppendWithTable(state, data);
    }

    /// <summary>The portable path (exposed so tests can compare it with the hardware path).</summary>
    internal static uint AppendPortable(uint crc, ReadOnlySpan<byte> data) => ~AppendWithTable(~crc, data);

    private static uint AppendWithTable(uint state, ReadOnlySpan<byte> data)
    {
        foreach (var value in data)
        {
            state = _table[(byte)(state ^ value)] ^ (state >> 8);
        }

        return state;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint index = 0; index < table.Length; index++)
        {
            var entry = index;
            for (var bit = 0; bit < 8; bit++)
            {
                entry = (entry & 1) != 0 ? (entry >> 1) ^ ReflectedPolynomial : entry >> 1;
            }

            table[index] = entry;
        }

        return table;
    }
}
