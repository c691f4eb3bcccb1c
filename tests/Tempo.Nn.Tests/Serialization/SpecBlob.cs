using System.Buffers.Binary;
using System.Text;
using Tempo.Nn.Serialization;

namespace Tempo.Nn.Tests.Serialization;

/// <summary>Builds parameter blobs by hand from docs/formats/parameters.md, so that tests can craft any header.</summary>
internal sealed class SpecBlob
{
    private readonly List<byte> _header = [];
    private readonly List<byte> _payload = [];

    public uint Version { get; set; } = 1;

    public SpecBlob Int64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _header.AddRange(bytes);
        return this;
    }

    public SpecBlob UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        _header.AddRange(bytes);
        return this;
    }

    public SpecBlob Byte(byte value)
    {
        _header.Add(value);
        return this;
    }

    public SpecBlob String(string value) => RawString(Encoding.UTF8.GetBytes(value));

    public SpecBlob RawString(byte[] bytes)
    {
        _header.Add((byte)bytes.Length);
        _header.Add((byte)(bytes.Length >> 8));
        _header.AddRange(bytes);
        return this;
    }

    /// <summary>A float32 tensor entry: name, element type 1, rank, dimensions.</summary>
    public SpecBlob Entry(string name, params int[] shape)
    {
        String(name).Byte(1).Byte((byte)shape.Length);
        foreach (var dimension in shape)
        {
            UInt32((uint)dimension);
        }

        return this;
    }

    public SpecBlob Payload(params float[] values)
    {
        foreach (var value in values)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            _payload.AddRange(bytes);
        }

        return this;
    }

    public byte[] Build()
    {
        var blob = new List<byte>();
        blob.AddRange([0x89, (byte)'T', (byte)'P', (byte)'S', 0x0D, 0x0A, 0x1A, 0x0A]);
        var word = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(word, Version);
        blob.AddRange(word);
        BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)_header.Count);
        blob.AddRange(word);
        blob.AddRange(_header);
        BinaryPrimitives.WriteUInt32LittleEndian(word, Crc32C.Append(0, blob.ToArray()));
        blob.AddRange(word);
        blob.AddRange(_payload);
        BinaryPrimitives.WriteUInt32LittleEndian(word, Crc32C.Append(0, _payload.ToArray()));
        blob.AddRange(word);
        return [.. blob];
    }
}
