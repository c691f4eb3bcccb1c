using System.Buffers.Binary;
using System.Numerics;
using Tempo.Nn.Serialization;

namespace Tempo.Runtime.Metrics.TensorBoard;

/// <summary>Writes TFRecord framing: <c>uint64 length, uint32 masked CRC-32C of length, data, uint32 masked CRC-32C of data</c>, all little-endian.</summary>
internal sealed class RecordWriter(Stream stream) : IDisposable
{
    private const int HeaderLength = 12;

    // TFRecord adds this after rotating, so a CRC stored inside CRC'd data does not look like a valid CRC of it.
    private const uint MaskDelta = 0xA282EAD8;

    /// <summary>TFRecord's masked CRC: rotate right by 15 bits, then add 0xA282EAD8.</summary>
    public static uint Mask(uint crc) => BitOperations.RotateRight(crc, 15) + MaskDelta;

    /// <summary>Writes one record around <paramref name="data"/>.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Mask(Crc32C.Compute(header[..8])));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Mask(Crc32C.Compute(data)));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    /// <summary>Pushes buffered records to the operating system.</summary>
    public void Flush() => stream.Flush();

    /// <summary>Flushes and closes the stream.</summary>
    public void Dispose() => stream.Dispose();
}
