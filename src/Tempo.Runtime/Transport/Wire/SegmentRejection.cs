namespace Tempo.Runtime.Transport.Wire;

/// <summary>Why bytes were not accepted as a segment.</summary>
/// <remarks>Checks run in the order listed, so a message is reported with the first problem found.</remarks>
public enum SegmentRejection
{
    /// <summary>The bytes were accepted.</summary>
    None,

    /// <summary>Fewer bytes than the header, or than the total length the header declares.</summary>
    Truncated,

    /// <summary>The first four bytes are not the segment magic: not a segment at all.</summary>
    WrongMagic,

    /// <summary>A schema version this reader does not understand.</summary>
    UnsupportedSchemaVersion,

    /// <summary>The declared total length disagrees with the bytes received or with the counts in the header.</summary>
    LengthMismatch,

    /// <summary>The CRC-32C over the message does not match the stored one: the bytes were damaged.</summary>
    ChecksumMismatch,

    /// <summary>The segment belongs to another run.</summary>
    ForeignRun,

    /// <summary>The observation or action element type differs from the expected one.</summary>
    ElementTypeMismatch,

    /// <summary>Steps, envs, observation size or action size differ from the expected layout.</summary>
    LayoutMismatch,

    /// <summary>
    /// A field holds a value outside its domain: a non-finite reward, log-probability, value or continuous action, a NaN
    /// observation, a discrete action out of range, a flag other than 0 or 1, truncation indices that do not match the
    /// truncated flags, an impossible episode (or one in an env the layout does not have), or a negative actor id, policy version, sequence number or step count.
    /// </summary>
    InvalidValue,

    /// <summary>A float or double part of a dict observation (observation, bootstrap or final) holds a NaN; checked only by a codec given the <see cref="Tempo.Core.Spaces.DictSpace"/>.</summary>
    NaNInDictPart,
}
