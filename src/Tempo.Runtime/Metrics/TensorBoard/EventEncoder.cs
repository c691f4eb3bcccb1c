using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Tempo.Runtime.Metrics.TensorBoard;

/// <summary>Encodes TensorBoard <c>Event</c> protocol buffers (tensorflow/core/util/event.proto, framework/summary.proto) by hand.</summary>
/// <remarks>
/// Only what scalar logging needs: <c>Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }</c>,
/// <c>Summary { repeated Value value = 1; }</c>, <c>Value { string tag = 1; float simple_value = 2; }</c>.
/// Nested messages are length-prefixed, so their sizes are computed before they are written.
/// </remarks>
internal static class EventEncoder
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private const int EventWallTime = 1;
    private const int EventStep = 2;
    private const int EventFileVersion = 3;
    private const int EventSummary = 5;
    private const int SummaryValue = 1;
    private const int ValueTag = 1;
    private const int ValueSimpleValue = 2;

    /// <summary>Appends the event that opens every event file: its wall time and the file version string.</summary>
    public static void WriteFileVersionEvent(IBufferWriter<byte> output, double wallTime, string fileVersion)
    {
        WriteWallTime(output, wallTime);
        WriteString(output, EventFileVersion, fileVersion);
    }

    /// <summary>Appends an event carrying a summary of scalar values at one step.</summary>
    public static void WriteScalarsEvent(IBufferWriter<byte> output, double wallTime, long step, ReadOnlySpan<SummaryScalar> scalars)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        WriteWallTime(output, wallTime);
        WriteKey(output, EventStep, WireVarint);
        WriteVarint(output, (ulong)step);

        var summaryLength = 0;
        foreach (var scalar in scalars)
        {
            var valueLength = ValueLength(scalar);
            summaryLength += 1 + VarintLength((ulong)valueLength) + valueLength;
        }

        WriteKey(output, EventSummary, WireLengthDelimited);
        WriteVarint(output, (ulong)summaryLength);
        foreach (var scalar in scalars)
        {
            WriteKey(output, SummaryValue, WireLengthDelimited);
            WriteVarint(output, (ulong)ValueLength(scalar));
            WriteString(output, ValueTag, scalar.Tag);
            WriteKey(output, ValueSimpleValue, WireFixed32);
            BinaryPrimitives.WriteSingleLittleEndian(output.GetSpan(4), scalar.Value);
            output.Advance(4);
        }
    }

    // Field numbers here are below 16, so every key is one byte.
    private static int ValueLength(SummaryScalar scalar)
    {
        var tagLength = Encoding.UTF8.GetByteCount(scalar.Tag);
        return 1 + VarintLength((ulong)tagLength) + tagLength + 1 + 4;
    }

    private static void WriteWallTime(IBufferWriter<byte> output, double wallTime)
    {
        WriteKey(output, EventWallTime, WireFixed64);
        BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), wallTime);
        output.Advance(8);
    }

    private static void WriteString(IBufferWriter<byte> output, int field, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteKey(output, field, WireLengthDelimited);
        WriteVarint(output, (ulong)length);
        var written = Encoding.UTF8.GetBytes(text, output.GetSpan(length));
        output.Advance(written);
    }

    private static void WriteKey(IBufferWriter<byte> output, int field, int wireType) =>
        WriteVarint(output, (ulong)((field << 3) | wireType));

    private static void WriteVarint(IBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var count = 0;
        while (value >= 0x80)
        {
            span[count++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[count++] = (byte)value;
        output.Advance(count);
    }

    private static int VarintLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }
}
