using System.Diagnostics.CodeAnalysis;

namespace Tempo.Runtime.Transport;

/// <summary>The in-process segment channel: a bounded FIFO queue with an explicit full policy, a writer half for actors and a reader half for the learner.</summary>
/// <typeparam name="TSegment">The segment type.</typeparam>
/// <remarks>
/// <para>
/// Why not <c>System.Threading.Channels</c>: actors and the learner run synchronous loops on dedicated threads, and
/// Channels offers only asynchronous waits, which those threads could use only by blocking on a task (sync over
/// async). A ring buffer under one monitor gives true blocking waits (<see cref="Monitor.Wait(object, int)"/>) and,
/// next to them, asynchronous waits through pooled <see cref="AsyncWaiter{TSegment}"/>s (a waiting writer parks its
/// segment there and a reader hands it the freed slot), so both paths allocate nothing in steady state. The critical
/// sections are a few instructions and a handful of threads contend for them; a lock-free design would not pay for
/// its complexity here.
/// </para>
/// <para>
/// In <see cref="QueueFullMode.DropOldest"/> mode a write to a full queue evicts the oldest segment, counts it in
/// <see cref="SegmentChannelStatistics.DroppedFull"/> and passes it to the drop callback (outside the lock, on the
/// writer's thread), typically <see cref="Algorithms.Experience.SegmentPool{TObservation, TAction}.Return"/> so its buffers are reused.
/// </para>
/// </remarks>
public sealed partial class SegmentChannel<TSegment>
{
    private readonly object _gate = new();
    private readonly TSegment[] _buffer;
    private readonly QueueFullMode _whenFull;
    private readonly Action<TSegment>? _dropped;
    private readonly List<AsyncWaiter<TSegment>> _readWaiters = [];
    private readonly List<AsyncWaiter<TSegment>> _writeWaiters = [];
    private readonly Stack<AsyncWaiter<TSegment>> _idleWaiters = new();
    private int _head;
    private int _count;
    private int _blockedReaders;
    private int _blockedWriters;
    private bool _completed;
    private long _written;
    private long _read;
    private long _droppedFull;

    /// <summary>Creates an empty channel.</summary>
    /// <param name="options">Capacity and full policy.</param>
    /// <param name="dropped">
    /// Receives each segment evicted in <see cref="QueueFullMode.DropOldest"/> mode, on the writing thread; pass the
    /// segment pool's <c>Return</c> so evicted buffers are reused. Must not throw.
    /// </param>
    public SegmentChannel(SegmentChannelOptions options, Action<TSegment>? dropped = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _buffer = new TSegment[options.Capacity];
        _whenFull = options.WhenFull;
        _dropped = dropped;
        Writer = new SegmentChannelWriter(this);
        Reader = new SegmentChannelReader(this);
    }

    /// <summary>The channel's configuration.</summary>
    public SegmentChannelOptions Options { get; }

    /// <summary>The half actors write to.</summary>
    public ISegmentWriter<TSegment> Writer { get; }

    /// <summary>The half the learner reads from.</summary>
    public ISegmentReader<TSegment> Reader { get; }

    /// <summary>A consistent snapshot of the counters.</summary>
    public SegmentChannelStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new SegmentChannelStatistics(_written, _read, _droppedFull, _count, _buffer.Length);
            }
        }
    }

    private bool TryWrite(TSegment segment)
    {
        TSegment evicted;
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            if (_count < _buffer.Length)
            {
                WriteLocked(segment);
                return true;
            }

            if (_whenFull == QueueFullMode.Wait)
            {
                return false;
            }

            evicted = DequeueLocked();
            _droppedFull++;
            WriteLocked(segment);
        }

        _dropped?.Invoke(evicted);
        return true;
    }

    private void Write(TSegment segment, CancellationToken cancellationToken)
    {
        if (TryWrite(segment))
        {
            return;
        }

        // Registered outside the lock and disposed after leaving it: disposal waits for a running callback, which needs the lock.
        using var registration = RegisterWakeUp(cancellationToken);
        lock (_gate)
        {
            _blockedWriters++;
            try
            {
                while (true)
                {
                    if (_completed)
                    {
                        ThrowCompleted();
                    }

                    if (_count < _buffer.Length)
                    {
                        WriteLocked(segment);
                        return;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    Monitor.Wait(_gate);
                }
            }
            finally
            {
                _blockedWriters--;
            }
        }
    }

    private ValueTask WriteAsync(TSegment segment, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (TryWrite(segment))
        {
            return default;
        }

        AsyncWaiter<TSegment> waiter;
        lock (_gate)
        {
            if (_completed)
            {
                return ValueTask.FromException(CompletedError());
            }

            if (_count < _buffer.Length)
            {
                WriteLocked(segment);
                return default;
            }

            // The segment waits in the waiter until a reader frees a slot and writes it on the writer's behalf.
            waiter = RentWaiterLocked(segment);
            _writeWaiters.Add(waiter);
        }

        waiter.RegisterCancellation(cancellationToken);
        return waiter.AsValueTask();
    }

    private void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (_blockedReaders + _blockedWriters > 0)
            {
                Monitor.PulseAll(_gate);
            }

            CompleteAllLocked(_readWaiters, result: false);
            CompleteAllLocked(_writeWaiters, result: false, CompletedError());
        }
    }

    /// <summary>Takes back a waiter whose result was taken, and keeps it for the next wait.</summary>
    internal void Release(AsyncWaiter<TSegment> waiter)
    {
        lock (_gate)
        {
            // A cancelled waiter is still listed; a completed one was already removed.
            _readWaiters.Remove(waiter);
            _writeWaiters.Remove(waiter);
            waiter.Reset();
            _idleWaiters.Push(waiter);
        }
    }

    private CancellationTokenRegistration RegisterWakeUp(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((SegmentChannel<TSegment>)state!).WakeBlockedThreads(), this)
            : default;

    private void WakeBlockedThreads()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    private AsyncWaiter<TSegment> RentWaiterLocked(TSegment segment)
    {
        var waiter = _idleWaiters.Count > 0 ? _idleWaiters.Pop() : new AsyncWaiter<TSegment>(this);
        waiter.Arm(segment);
        return waiter;
    }

    private void WriteLocked(TSegment segment)
    {
        var tail = _head + _count;
        if (tail >= _buffer.Length)
        {
            tail -= _buffer.Length;
        }

        _buffer[tail] = segment;
        _count++;
        _written++;
        if (_blockedReaders > 0)
        {
            Monitor.PulseAll(_gate);
        }

        CompleteAllLocked(_readWaiters, result: true);
    }

    private TSegment DequeueLocked()
    {
        var segment = _buffer[_head];
        _buffer[_head] = default!;
        _head = _head + 1 == _buffer.Length ? 0 : _head + 1;
        _count--;
        return segment;
    }

    // Readers learn that data arrived (true) or that the channel ended (false); writers learn that it ended (error).
    private static void CompleteAllLocked(List<AsyncWaiter<TSegment>> waiters, bool result, Exception? error = null)
    {
        if (waiters.Count == 0)
        {
            return;
        }

        foreach (var waiter in waiters)
        {
            if (!waiter.TryClaim())
            {
                continue;
            }

            if (error is null)
            {
                waiter.SetResult(result);
            }
            else
            {
                waiter.SetException(error);
            }
        }

        waiters.Clear();
    }

    private static InvalidOperationException CompletedError() =>
        new("The segment channel is completed; no more segments can be written.");

    [DoesNotReturn]
    private static void ThrowCompleted() => throw CompletedError();

    private sealed class SegmentChannelWriter(SegmentChannel<TSegment> channel) : ISegmentWriter<TSegment>
    {
        public bool TryWrite(TSegment segment) => channel.TryWrite(segment);

        public void Write(TSegment segment, CancellationToken cancellationToken = default) => channel.Write(segment, cancellationToken);

        public ValueTask WriteAsync(TSegment segment, CancellationToken cancellationToken = default) => channel.WriteAsync(segment, cancellationToken);

        public void Complete() => channel.Complete();
    }
}
