using System.Buffers.Binary;
using System.Text;
using Tempo.Runtime.Tests.Checksums;

namespace Tempo.Runtime.Tests.Metrics.TensorBoard;

/// <summary>
/// Reads a TensorBoard event file independently of the code under test: TFRecord framing with both CRCs checked by
/// <see cref="ReferenceCrc32C"/>, and a general protobuf wire-format decoder for Event / Summary / Summary.Value.
/// </summary>
internal static class EventFileReader
{
    public static List<DecodedEvent> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Read(memory.ToArray());
    }

    public static List<DecodedEvent> Read(byte[] file)
    {
        var events = new List<DecodedEvent>();
        var position = 0;
        while (position < file.Length)
        {
            if (file.Length - position < 12)
            {
                throw new InvalidDataException($"Truncated record header at byte {position}.");
            }

            var lengthBytes = file.AsSpan(position, 8);
            var storedLengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position + 8, 4));
            if (storedLengthCrc != Masked(lengthBytes))
            {
                throw new InvalidDataException($"Length CRC mismatch at byte {position}.");
            }

            var length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (length > (ulong)(file.Length - position - 16))
            {
                throw new InvalidDataException($"Truncated record data at byte {position}: length {length}.");
            }

            var data = file.AsSpan(position + 12, (int)length);
            var storedDataCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position + 12 + (int)length, 4));
            if (storedDataCrc != Masked(data))
            {
                throw new InvalidDataException($"Data CRC mismatch at byte {position}.");
            }

            events.Add(DecodeEvent(data));
            position += 16 + (int)length;
        }

        return events;
    }

    // TFRecord: rotate right by 15, add 0xa282ead8.
    private static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = ReferenceCrc32C.Compute(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u);
    }

    private static DecodedEvent DecodeEvent(ReadOnlySpan<byte> message)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        List<(string, float)>? values = null;
        var reader = new WireReader(message);
        while (reader.TryReadKey(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, 1):
                    wallTime = BitConverter.UInt64BitsToDouble(reader.ReadFixed64());
                    break;
                case (2, 0):
                    step = (long)reader.ReadVarint();
                    break;
                case (3, 2):
                    fileVersion = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    break;
                case (5, 2):
                    values ??= [];
                    DecodeSummary(reader.ReadLengthDelimited(), values);
                    break;
                case (1 or 2 or 3 or 5, _):
                    throw new InvalidDataException($"Event field {field} has wire type {wireType}.");
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new DecodedEvent(wallTime, step, fileVersion, values);
    }

    private static void DecodeSummary(ReadOnlySpan<byte> message, List<(string, float)> values)
    {
        var reader = new WireReader(message);
        while (reader.TryReadKey(out var field, out var wireType))
        {
            if (field != 1 || wireType != 2)
            {
                throw new InvalidDataException($"Unexpected Summary field {field} (wire type {wireType}).");
            }

            string? tag = null;
            float? simpleValue = null;
            var valueReader = new WireReader(reader.ReadLengthDelimited());
            while (valueReader.TryReadKey(out var valueField, out var valueWireType))
            {
                switch (valueField, valueWireType)
                {
                    case (1, 2):
                        tag = Encoding.UTF8.GetString(valueReader.ReadLengthDelimited());
                        break;
                    case (2, 5):
                        simpleValue = BitConverter.UInt32BitsToSingle(valueReader.ReadFixed32());
                        break;
                    default:
                        throw new InvalidDataException($"Unexpected Summary.Value field {valueField} (wire type {valueWireType}).");
                }
            }

            values.Add((tag ?? throw new InvalidDataException("Summary.Value without tag."),
                simpleValue ?? throw new InvalidDataException($"Summary.Value '{tag}' without simple_value.")));
        }
    }

    private ref struct WireReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _data = data;

        public bool TryReadKey(out int field, out int wireType)
        {
            if (_data.IsEmpty)
            {
                field = wireType = 0;
                return false;
            }

            var key = ReadVarint();
            field = (int)(key >> 3);
            wireType = (int)(key & 7);
            if (field == 0)
            {
                throw new InvalidDataException("Field number 0.");
            }

            return true;
        }

        public ulong ReadVarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_data.IsEmpty)
                {
                    throw new InvalidDataException("Truncated varint.");
                }

                var b = _data[0];
                _data = _data[1..];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new InvalidDataException("Varint longer than 10 bytes.");
        }

        public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public ReadOnlySpan<byte> ReadLengthDelimited() => Take(checked((int)ReadVarint()));

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case 0: ReadVarint(); break;
                case 1: Take(8); break;
                case 2: ReadLengthDelimited(); break;
                case 5: Take(4); break;
                default: throw new InvalidDataException($"Unknown wire type {wireType}.");
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _data.Length)
            {
                throw new InvalidDataException($"Field needs {count} bytes, {_data.Length} left.");
            }

            var taken = _data[..count];
            _data = _data[count..];
            return taken;
        }
    }
}
