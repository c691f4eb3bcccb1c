namespace Tempo.Runtime.Transport.Loopback;

/// <summary>One encoded message in a reusable buffer sized for the largest message of its kind.</summary>
internal sealed class WireMessage(int capacity)
{
    private readonly byte[] _buffer = new byte[capacity];

    /// <summary>Bytes of the message; the rest of the buffer is stale.</summary>
    public int Length { get; set; }

    /// <summary>The whole buffer, to encode into.</summary>
    public Span<byte> Buffer => _buffer;

    /// <summary>The message's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, Length);
}
