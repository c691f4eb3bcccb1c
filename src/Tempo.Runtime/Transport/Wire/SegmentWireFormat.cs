using Tempo.Algorithms.Experience;

namespace Tempo.Runtime.Transport.Wire;

/// <summary>The constants and sizes of the segment wire format (schema version 3), documented field by field in <c>docs/formats/segment.md</c>.</summary>
/// <remarks>
/// All integers and floats are little-endian. A message is an 80-byte header, the dense arrays, the truncated steps'
/// final observations (sparse), the finished episodes, and a CRC-32C of everything before it.
/// </remarks>
public static class SegmentWireFormat
{
    /// <summary>The first four bytes of every segment, the ASCII letters <c>TSEG</c>, read as a little-endian integer.</summary>
    public const uint Magic = 0x47455354;

    /// <summary>The schema version this code writes and reads.</summary>
    public const ushort SchemaVersion = 3;

    /// <summary>Bytes before the first array.</summary>
    public const int HeaderLength = 80;

    /// <summary>Bytes of the trailing CRC-32C.</summary>
    public const int ChecksumLength = 4;

    /// <summary>Bytes of one finished episode: return (float64), length (int32), wall time in seconds (float64), env index (int32), x reached (float64, NaN for none).</summary>
    public const int EpisodeLength = 32;

    /// <summary>The bits of the x-reached field of an episode whose env exposes no positions: .NET's <see cref="double.NaN"/>, the only NaN a reader accepts (so that every accepted message is canonical).</summary>
    public const long NoXReachedBits = unchecked((long)0xFFF8_0000_0000_0000);

    internal const int MagicOffset = 0;
    internal const int SchemaVersionOffset = 4;
    internal const int ObservationTypeOffset = 6;
    internal const int ActionTypeOffset = 7;
    internal const int TotalLengthOffset = 8;
    internal const int RunIdOffset = 12;
    internal const int StepsOffset = 28;
    internal const int EnvsOffset = 32;
    internal const int ObservationSizeOffset = 36;
    internal const int ActionSizeOffset = 40;
    internal const int ActorOffset = 44;
    internal const int BehaviourVersionOffset = 48;
    internal const int SequenceOffset = 56;
    internal const int ActorStepsOffset = 64;
    internal const int TruncationCountOffset = 72;
    internal const int EpisodeCountOffset = 76;

    /// <summary>The wire code of element type <typeparamref name="T"/>, or <see langword="null"/> if the format cannot carry it.</summary>
    public static WireElementType? ElementTypeOf<T>()
        where T : unmanaged
    {
        return typeof(T) switch
        {
            var t when t == typeof(float) => WireElementType.Float32,
            var t when t == typeof(double) => WireElementType.Float64,
            var t when t == typeof(Half) => WireElementType.Float16,
            var t when t == typeof(byte) => WireElementType.UInt8,
            var t when t == typeof(sbyte) => WireElementType.Int8,
            var t when t == typeof(ushort) => WireElementType.UInt16,
            var t when t == typeof(short) => WireElementType.Int16,
            var t when t == typeof(uint) => WireElementType.UInt32,
            var t when t == typeof(int) => WireElementType.Int32,
            var t when t == typeof(ulong) => WireElementType.UInt64,
            var t when t == typeof(long) => WireElementType.Int64,
            _ => null,
        };
    }

    /// <summary>Bytes per element of <paramref name="type"/>.</summary>
    public static int ElementSize(WireElementType type) => type switch
    {
        WireElementType.UInt8 or WireElementType.Int8 => 1,
        WireElementType.Float16 or WireElementType.UInt16 or WireElementType.Int16 => 2,
        WireElementType.Float32 or WireElementType.UInt32 or WireElementType.Int32 => 4,
        WireElementType.Float64 or WireElementType.UInt64 or WireElementType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown wire element type."),
    };

    /// <summary>The exact size of a message for <paramref name="layout"/> with <paramref name="truncations"/> truncated steps and <paramref name="episodes"/> finished episodes.</summary>
    public static long GetEncodedLength(SegmentLayout layout, WireElementType observationType, WireElementType actionType, int truncations, int episodes)
    {
        layout.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(truncations);
        ArgumentOutOfRangeException.ThrowIfNegative(episodes);
        long observationBytes = (long)layout.ObservationSize * ElementSize(observationType);
        long actionBytes = (long)layout.ActionSize * ElementSize(actionType);
        long transitions = layout.Transitions;

        // Observations, bootstrap observations, actions, then rewards, log-probs, values (float32) and two flag bytes per transition.
        var dense = (transitions * observationBytes) + (layout.Envs * observationBytes) + (transitions * actionBytes) + (transitions * ((3 * sizeof(float)) + 2));

        // Each truncated step carries its index (int32) and its final observation.
        var sparse = truncations * (sizeof(int) + observationBytes);
        return HeaderLength + dense + sparse + ((long)episodes * EpisodeLength) + ChecksumLength;
    }
}
