using System.Buffers.Binary;

namespace Tempo.Runtime.Metrics.TensorBoard;

/// <summary>Writes TFRecord framing: <c>uint64 length, uint32 masked CRC-32C of length, data, uint32 masked CRC-32C of data</c>, all little-endian.</summary>
internal sealed class RecordWriter(Stream stream) : IDisposable
{
    private const int HeaderLength = 12;

    /// <summary>Writes one record around <paramref name="data"/>.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Mask(Crc32C.Compute(header[..8])));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Mask(Crc32C.Compute(data)));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    /// <summary>Pushes buffered records to the operating system.</summary>
    public void Flush() => stream.Flush();

    /// <summary>Flushes and closes the stream.</summary>
    public void Dispose() => stream.Dispose();
}
