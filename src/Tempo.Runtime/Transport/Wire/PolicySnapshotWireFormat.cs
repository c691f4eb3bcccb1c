namespace Tempo.Runtime.Transport.Wire;

/// <summary>The constants and sizes of the policy snapshot wire format (schema version 1), documented field by field in <c>docs/formats/snapshot.md</c>.</summary>
/// <remarks>All integers and floats are little-endian. A message is a 40-byte header, the weights (float32) and a CRC-32C of everything before it.</remarks>
public static class PolicySnapshotWireFormat
{
    /// <summary>The first four bytes of every snapshot, the ASCII letters <c>TPOL</c>, read as a little-endian integer.</summary>
    public const uint Magic = 0x4C4F5054;

    /// <summary>The schema version this code writes and reads.</summary>
    public const ushort SchemaVersion = 1;

    /// <summary>Bytes before the weights.</summary>
    public const int HeaderLength = 40;

    /// <summary>Bytes of the trailing CRC-32C.</summary>
    public const int ChecksumLength = 4;

    internal const int SchemaVersionOffset = 4;
    internal const int ReservedOffset = 6;
    internal const int TotalLengthOffset = 8;
    internal const int RunIdOffset = 12;
    internal const int PolicyVersionOffset = 28;
    internal const int WeightCountOffset = 36;

    /// <summary>The exact size of a message carrying <paramref name="weightCount"/> weights.</summary>
    public static long GetEncodedLength(int weightCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weightCount);
        return HeaderLength + ((long)weightCount * sizeof(float)) + ChecksumLength;
    }
}
