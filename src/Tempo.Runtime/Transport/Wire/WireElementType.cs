namespace Tempo.Runtime.Transport.Wire;

/// <summary>The element type of an observation or action array on the wire; the numeric codes are part of the format.</summary>
public enum WireElementType : byte
{
    /// <summary>32-bit IEEE 754 float.</summary>
    Float32 = 1,

    /// <summary>64-bit IEEE 754 float.</summary>
    Float64 = 2,

    /// <summary>16-bit IEEE 754 float.</summary>
    Float16 = 3,

    /// <summary>Unsigned 8-bit integer (pixels).</summary>
    UInt8 = 4,

    /// <summary>Signed 8-bit integer.</summary>
    Int8 = 5,

    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 6,

    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 7,

    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 8,

    /// <summary>Signed 32-bit integer (discrete actions).</summary>
    Int32 = 9,

    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 10,

    /// <summary>Signed 64-bit integer.</summary>
    Int64 = 11,
}
