using System.Buffers;
using Tempo.Runtime.Metrics.TensorBoard;

namespace Tempo.Runtime.Tests.Metrics.TensorBoard;

public sealed class EventEncoderTests
{
    [Fact]
    public void WriteScalarsEvent_OneScalar_MatchesHandEncodedBytes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        EventEncoder.WriteScalarsEvent(buffer, wallTime: 1.0, step: 300, [new SummaryScalar("a", 1.0f)]);

        byte[] expected =
        [
            0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F, // wall_time = 1.0 (field 1, fixed64)
            0x10, 0xAC, 0x02,                                     // step = 300 (field 2, varint)
            0x2A, 0x0A,                                           // summary (field 5), 10 bytes
            0x0A, 0x08,                                           //   value (field 1), 8 bytes
            0x0A, 0x01, 0x61,                                     //     tag = "a"
            0x15, 0x00, 0x00, 0x80, 0x3F,                         //     simple_value = 1.0f (field 2, fixed32)
        ];
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteFileVersionEvent_MatchesHandEncodedBytes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        EventEncoder.WriteFileVersionEvent(buffer, wallTime: 2.0, "brain.Event:2");

        byte[] expected = [0x09, 0, 0, 0, 0, 0, 0, 0x00, 0x40, 0x1A, 13, .. "brain.Event:2"u8];
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteScalarsEvent_ManyLongTags_DecodesBack()
    {
        // 200 values push the summary length past one varint byte (and tags past 127 bytes past it too).
        var scalars = Enumerable.Range(0, 200).Select(i => new SummaryScalar(new string('t', i) + i, i * 0.5f)).ToArray();
        var buffer = new ArrayBufferWriter<byte>();
        EventEncoder.WriteScalarsEvent(buffer, wallTime: 1.5e9, step: long.MaxValue, scalars);

        var file = new MemoryStream();
        using (var records = new RecordWriter(file))
        {
            records.Write(buffer.WrittenSpan);
        }

        var decoded = Assert.Single(EventFileReader.Read(file.ToArray()));
        Assert.Equal(long.MaxValue, decoded.Step);
        Assert.Equal(1.5e9, decoded.WallTime);
        Assert.Equal(scalars.Select(s => (s.Tag, s.Value)), decoded.Values!);
    }

    [Fact]
    public void WriteScalarsEvent_NegativeStep_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EventEncoder.WriteScalarsEvent(new ArrayBufferWriter<byte>(), 0, -1, []));
    }
}
