using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Tempo.Nn.Serialization;

/// <summary>Reads little-endian fields from a header, turning every overrun or bad value into an <see cref="InvalidDataException"/>.</summary>
internal ref struct HeaderReader(ReadOnlySpan<byte> header, string source)
{
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _header = header;
    private readonly string _source = source;
    private int _position;

    /// <summary>The bytes not read yet.</summary>
    public readonly int Remaining => _header.Length - _position;

    /// <summary>Reads one byte.</summary>
    public byte ReadByte(string field) => Take(1, field)[0];

    /// <summary>Reads an unsigned 32-bit integer.</summary>
    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

    /// <summary>Reads a signed 32-bit integer.</summary>
    public int ReadInt32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, field));

    /// <summary>Reads a signed 64-bit integer.</summary>
    public long ReadInt64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));

    /// <summary>Reads a string stored as a 16-bit byte length and strict UTF-8 bytes.</summary>
    public string ReadString(string field)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));
        if (length > ParameterFileFormat.MaxNameBytes)
        {
            Fail($"{field} is {length} bytes long; the limit is {ParameterFileFormat.MaxNameBytes}");
        }

        var bytes = Take(length, field);
        try
        {
            return _strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            Fail($"{field} at offset {_position - length} is not valid UTF-8");
            return string.Empty;
        }
    }

    /// <summary>Throws the header-is-malformed exception with <paramref name="detail"/>.</summary>
    [DoesNotReturn]
    public readonly void Fail(string detail) =>
        throw new InvalidDataException($"{_source}: the header is malformed: {detail}.");

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining)
        {
            Fail($"{field} needs {count} bytes at header offset {_position}, but only {Remaining} remain");
        }

        var bytes = _header.Slice(_position, count);
        _position += count;
        return bytes;
    }
}
