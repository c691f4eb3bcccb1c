namespace Tempo.Nn.Serialization;

/// <summary>Constants of the parameter file format; docs/formats/parameters.md is its specification.</summary>
internal static class ParameterFileFormat
{
    /// <summary>The format version this build writes and the only one it reads.</summary>
    public const uint Version = 1;

    /// <summary>Magic (8 bytes), version (4) and header length (4).</summary>
    public const int PreambleLength = 16;

    /// <summary>The largest header a reader accepts, so that a corrupt length cannot trigger a huge allocation.</summary>
    public const int MaxHeaderLength = 16 << 20;

    /// <summary>The largest tensor rank.</summary>
    public const int MaxRank = 16;

    /// <summary>The longest name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>The element-type code of little-endian IEEE 754 float32, the only one version 1 defines.</summary>
    public const byte Float32 = 1;

    /// <summary>The 8 magic bytes: 0x89 "TPS" CR LF 0x1A LF (PNG's scheme: catches 7-bit and line-ending mangling).</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'T', (byte)'P', (byte)'S', 0x0D, 0x0A, 0x1A, 0x0A];
}
