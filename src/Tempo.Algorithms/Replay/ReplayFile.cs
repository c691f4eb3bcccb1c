namespace Tempo.Algorithms.Replay;

/// <summary>The saved form of a replay buffer: a tag, the layout it must match, then its arrays as raw little-endian bytes.</summary>
internal static class ReplayFile
{
    /// <summary>Opens every saved buffer; a new layout of the data gets a new tag.</summary>
    public const string Magic = "tempo-replay-1";

    /// <summary>Fills <paramref name="destination"/> from <paramref name="reader"/>, failing on a short read.</summary>
    /// <exception cref="EndOfStreamException">The data ended first.</exception>
    public static void ReadExactly(BinaryReader reader, Span<byte> destination) => reader.BaseStream.ReadExactly(destination);
}
