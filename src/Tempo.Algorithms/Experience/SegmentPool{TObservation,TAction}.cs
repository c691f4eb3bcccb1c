namespace Tempo.Algorithms.Experience;

/// <summary>A bounded, thread-safe pool of segments of one layout, so actors refill the same buffers instead of allocating.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// <see cref="Rent"/> allocates only when the pool is empty; <see cref="Return"/> keeps at most <see cref="Capacity"/>
/// segments and lets the rest go to the garbage collector (counted as discarded). Once the pool holds as many segments
/// as are in flight (actor buffers plus queue capacity plus the learner's batch), renting and returning allocate nothing.
/// A lock guards a plain stack: the critical section is a few instructions, cheaper than a lock-free design's retries.
/// </remarks>
public sealed class SegmentPool<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly Lock _lock = new();
    private readonly Segment<TObservation, TAction>[] _available;
    private int _availableCount;
    private long _allocated;
    private long _rented;
    private long _returned;
    private long _discarded;

    /// <summary>Creates an empty pool of segments shaped by <paramref name="layout"/> that keeps at most <paramref name="capacity"/> of them.</summary>
    public SegmentPool(SegmentLayout layout, int capacity)
    {
        layout.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Layout = layout;
        _available = new Segment<TObservation, TAction>[capacity];
    }

    /// <summary>The layout of every segment the pool hands out and accepts.</summary>
    public SegmentLayout Layout { get; }

    /// <summary>The most segments the pool keeps while they are not rented.</summary>
    public int Capacity => _available.Length;

    /// <summary>A consistent snapshot of the pool's counters.</summary>
    public SegmentPoolStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                return new SegmentPoolStatistics(_allocated, _rented, _returned, _discarded, _availableCount);
            }
        }
    }

    /// <summary>Takes a cleared segment from the pool, or allocates one when the pool is empty.</summary>
    public Segment<TObservation, TAction> Rent()
    {
        lock (_lock)
        {
            _rented++;
            if (_availableCount > 0)
            {
                var segment = _available[--_availableCount];
                _available[_availableCount] = null!;
                segment.IsPooled = false;
                return segment;
            }

            _allocated++;
        }

        return new Segment<TObservation, TAction>(Layout);
    }

    /// <summary>Clears <paramref name="segment"/> and keeps it for a later <see cref="Rent"/>; throws if it has another layout or is already in the pool.</summary>
    /// <remarks>Safe to call from any thread, including a queue's drop callback on an actor thread.</remarks>
    public void Return(Segment<TObservation, TAction> segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Layout != Layout)
        {
            throw new ArgumentException($"Segment layout {segment.Layout} does not match the pool's {Layout}.", nameof(segment));
        }

        lock (_lock)
        {
            if (segment.IsPooled)
            {
                throw new ArgumentException($"Segment {segment.Sequence} of {segment.Actor} was returned to the pool twice.", nameof(segment));
            }

            _returned++;
            if (_availableCount == _available.Length)
            {
                _discarded++;
                return;
            }

            segment.Clear();
            segment.IsPooled = true;
            _available[_availableCount++] = segment;
        }
    }
}
