using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Tempo.Runtime.Export.Onnx;

/// <summary>Writes protocol-buffer wire format: varints, length-delimited fields and nested messages; just what ONNX's messages need.</summary>
/// <remarks>A nested message is written into its own writer first, because its length prefix comes before it.</remarks>
internal sealed class ProtobufWriter
{
    private const int VarintWireType = 0;
    private const int LengthDelimitedWireType = 2;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>An integer field (int32, int64 and enums share the varint encoding; negatives take ten bytes).</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, VarintWireType);
        WriteVarint((ulong)value);
    }

    /// <summary>A string field, UTF-8.</summary>
    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field.</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, LengthDelimitedWireType);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>A bytes field holding floats as little-endian IEEE 754 (ONNX's <c>raw_data</c>).</summary>
    public void WriteFloats(int field, ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this writer runs on little-endian machines only.");
        }

        WriteBytes(field, MemoryMarshal.AsBytes(values));
    }

    /// <summary>A nested message field: <paramref name="body"/> writes the message's own fields.</summary>
    public void WriteMessage(int field, Action<ProtobufWriter> body)
    {
        var nested = new ProtobufWriter();
        body(nested);
        WriteBytes(field, nested.WrittenSpan);
    }

    private void WriteTag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        _buffer.Advance(length);
    }
}
