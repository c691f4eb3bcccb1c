namespace Tempo.Runtime.Transport.Loopback;

/// <summary>A bounded, thread-safe pool of message buffers, so encoding a segment allocates nothing in steady state.</summary>
/// <remarks>The same design as the segment pool: a lock around a plain stack; renting allocates only when the pool is empty, returning keeps at most its capacity.</remarks>
internal sealed class WireMessagePool(int messageCapacity, int capacity)
{
    private readonly Lock _lock = new();
    private readonly WireMessage[] _available = new WireMessage[capacity];
    private int _availableCount;

    /// <summary>Takes a buffer, or allocates one when none is free.</summary>
    public WireMessage Rent()
    {
        lock (_lock)
        {
            if (_availableCount > 0)
            {
                var message = _available[--_availableCount];
                _available[_availableCount] = null!;
                return message;
            }
        }

        return new WireMessage(messageCapacity);
    }

    /// <summary>Keeps <paramref name="message"/> for a later <see cref="Rent"/>, or leaves it to the garbage collector when the pool is full.</summary>
    public void Return(WireMessage message)
    {
        message.Length = 0;
        lock (_lock)
        {
            if (_availableCount < _available.Length)
            {
                _available[_availableCount++] = message;
            }
        }
    }
}
