using Tempo.Runtime.Transport;

namespace Tempo.Redis.Streams;

/// <summary>An actor process's bounded queue of encoded segments waiting for Redis: for a live world adding never blocks and, when full, drops the oldest (counted); a simulator's actor waits for room instead.</summary>
/// <remarks>Buffers are pooled (a stack of arrays sized for the largest segment), so steady-state sending allocates no segment-sized memory.</remarks>
internal sealed class Outbox : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<OutboxItem> _queue;
    private readonly Stack<byte[]> _buffers = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly int _capacity;
    private readonly QueueFullMode _whenFull;
    private readonly int _bufferLength;
    private long _dropped;
    private bool _completed;

    // How often a waiting simulator actor looks for room; it waits only while Redis is slower than the simulator.
    private static readonly TimeSpan _roomPoll = TimeSpan.FromMilliseconds(1);

    public Outbox(int capacity, int bufferLength, QueueFullMode whenFull)
    {
        _capacity = capacity;
        _whenFull = whenFull;
        _bufferLength = bufferLength;
        _queue = new Queue<OutboxItem>(capacity);
    }

    /// <summary>Segments dropped because the outbox was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Segments waiting.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>A buffer to encode into.</summary>
    public byte[] Rent()
    {
        lock (_lock)
        {
            if (_buffers.TryPop(out var buffer))
            {
                return buffer;
            }
        }

        return new byte[_bufferLength];
    }

    /// <summary>Gives a buffer back once its bytes were sent or dropped.</summary>
    public void Return(byte[] buffer)
    {
        lock (_lock)
        {
            if (_buffers.Count < _capacity + 2)
            {
                _buffers.Push(buffer);
            }
        }
    }

    /// <summary>Queues an item without waiting: when full, a drop-oldest outbox evicts its oldest item, a waiting one refuses.</summary>
    public bool TryAdd(OutboxItem item)
    {
        byte[]? evicted = null;
        lock (_lock)
        {
            if (_queue.Count >= _capacity)
            {
                if (_whenFull == QueueFullMode.Wait)
                {
                    return false;
                }

                evicted = _queue.Dequeue().Buffer;
                _dropped++;
            }

            _queue.Enqueue(item);
        }

        if (evicted is not null)
        {
            Return(evicted);
        }
        else
        {
            _ready.Release();
        }

        return true;
    }

    /// <summary>Queues an item, waiting for room when a waiting outbox is full.</summary>
    public void Add(OutboxItem item, CancellationToken cancellationToken)
    {
        while (!TryAdd(item))
        {
            cancellationToken.WaitHandle.WaitOne(_roomPoll);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>No more items will be added; the sender drains what is queued.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
        }

        _ready.Release();
    }

    public void Dispose() => _ready.Dispose();

    /// <summary>Waits for the oldest item; <see langword="false"/> once completed and drained.</summary>
    public async ValueTask<(bool Ok, OutboxItem Item)> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_lock)
            {
                if (_queue.TryDequeue(out var item))
                {
                    return (true, item);
                }

                if (_completed)
                {
                    return (false, default);
                }
            }

            // A release may belong to an item already evicted, or to completion: loop and look again.
            await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>One encoded segment waiting in the outbox.</summary>
/// <param name="Buffer">A pooled buffer holding the bytes.</param>
/// <param name="Length">Bytes of the message.</param>
/// <param name="Sequence">The sender's sequence number for the segment's actor.</param>
internal readonly record struct OutboxItem(byte[] Buffer, int Length, long Sequence);
