namespace Tempo.Runtime.Transport.Wire;

/// <summary>Why bytes were not accepted as a policy snapshot.</summary>
/// <remarks>Checks run in the order listed, so a message is reported with the first problem found.</remarks>
public enum PolicySnapshotRejection
{
    /// <summary>The bytes were accepted.</summary>
    None,

    /// <summary>Fewer bytes than the header, or than the total length the header declares.</summary>
    Truncated,

    /// <summary>The first four bytes are not the snapshot magic: not a snapshot at all.</summary>
    WrongMagic,

    /// <summary>A schema version this reader does not understand.</summary>
    UnsupportedSchemaVersion,

    /// <summary>The declared total length disagrees with the bytes received or with the declared weight count.</summary>
    LengthMismatch,

    /// <summary>The CRC-32C over the message does not match the stored one: the bytes were damaged.</summary>
    ChecksumMismatch,

    /// <summary>The snapshot belongs to another run.</summary>
    ForeignRun,

    /// <summary>The weight count differs from the reader's network.</summary>
    WeightCountMismatch,

    /// <summary>A field holds a value outside its domain: a NaN or infinite weight, a negative policy version, or non-zero reserved bytes.</summary>
    InvalidValue,
}
