using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Tempo.Runtime.Transport;

/// <summary>The in-process segment channel: a bounded FIFO queue with an explicit full policy, a writer half for actors and a reader half for the learner.</summary>
/// <typeparam name="TSegment">The segment type.</typeparam>
/// <remarks>
/// <para>
/// Why not <c>System.Threading.Channels</c>: actors and the learner run synchronous loops on dedicated threads, and
/// Channels offers only asynchronous waits, which those threads could use only by blocking on a task (sync over
/// async). A ring buffer under one monitor gives true blocking waits (<see cref="Monitor.Wait(object, int)"/>) and,
/// next to them, asynchronous waits through pooled <see cref="AsyncWaitSignal"/>s and pooled async state machines,
/// so both paths allocate nothing in steady state. The critical sections are a few instructions, and a handful of
/// threads contend for them; a lock-free design would not pay for its complexity here.
/// </para>
/// <para>
/// In <see cref="QueueFullMode.DropOldest"/> mode a write to a full queue evicts the oldest segment, counts it in
/// <see cref="SegmentChannelStatistics.DroppedFull"/> and passes it to the drop callback (outside the lock, on the
/// writer's thread), typically <see cref="Segments.SegmentPool{TObservation, TAction}.Return"/> so its buffers are reused.
/// </para>
/// </remarks>
public sealed class SegmentChannel<TSegment>
{
    private readonly object _gate = new();
    private readonly TSegment[] _buffer;
    private readonly QueueFullMode _whenFull;
    private readonly Action<TSegment>? _dropped;
    private readonly List<AsyncWaitSignal> _readWaiters = [];
    private readonly List<AsyncWaitSignal> _writeWaiters = [];
    private readonly Stack<AsyncWaitSignal> _idleSignals = new();
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

        return TryWrite(segment) ? default : WriteSlowAsync(segment, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteSlowAsync(TSegment segment, CancellationToken cancellationToken)
    {
        while (true)
        {
            AsyncWaitSignal signal;
            lock (_gate)
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

                signal = EnlistLocked(_writeWaiters);
            }

            await WaitForSignalAsync(signal, _writeWaiters, cancellationToken).ConfigureAwait(false);
        }
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

            SetAllLocked(_readWaiters);
            SetAllLocked(_writeWaiters);
        }
    }

    private int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    private bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed && _count == 0;
            }
        }
    }

    private bool TryRead([MaybeNullWhen(false)] out TSegment segment)
    {
        lock (_gate)
        {
            return TryReadLocked(out segment);
        }
    }

    private bool TryRead([MaybeNullWhen(false)] out TSegment segment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var timeoutMilliseconds = (long)timeout.TotalMilliseconds;
        if (timeoutMilliseconds is < -1 or > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be Timeout.InfiniteTimeSpan or between zero and int.MaxValue milliseconds.");
        }

        if (TryRead(out segment))
        {
            return true;
        }

        if (timeoutMilliseconds == 0)
        {
            return false;
        }

        // The timeout bounds a real OS wait, so it is measured with the OS tick count rather than an injected clock.
        var start = Environment.TickCount64;
        using var registration = RegisterWakeUp(cancellationToken);
        lock (_gate)
        {
            _blockedReaders++;
            try
            {
                while (true)
                {
                    if (TryReadLocked(out segment))
                    {
                        return true;
                    }

                    if (_completed)
                    {
                        return false;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    var wait = Timeout.Infinite;
                    if (timeoutMilliseconds > 0)
                    {
                        var remaining = timeoutMilliseconds - (Environment.TickCount64 - start);
                        if (remaining <= 0)
                        {
                            return false;
                        }

                        wait = (int)remaining;
                    }

                    Monitor.Wait(_gate, wait);
                }
            }
            finally
            {
                _blockedReaders--;
            }
        }
    }

    private ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        lock (_gate)
        {
            if (_count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }
        }

        return WaitToReadSlowAsync(cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> WaitToReadSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            AsyncWaitSignal signal;
            lock (_gate)
            {
                if (_count > 0)
                {
                    return true;
                }

                if (_completed)
                {
                    return false;
                }

                signal = EnlistLocked(_readWaiters);
            }

            await WaitForSignalAsync(signal, _readWaiters, cancellationToken).ConfigureAwait(false);
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

    private AsyncWaitSignal EnlistLocked(List<AsyncWaitSignal> waiters)
    {
        var signal = _idleSignals.Count > 0 ? _idleSignals.Pop() : new AsyncWaitSignal();
        waiters.Add(signal);
        return signal;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitForSignalAsync(AsyncWaitSignal signal, List<AsyncWaitSignal> waiters, CancellationToken cancellationToken)
    {
        try
        {
            // Disposing the registration waits for a running cancellation callback, so the signal is quiet before it is reused.
            using (cancellationToken.UnsafeRegister(static (state, token) => ((AsyncWaitSignal)state!).Cancel(token), signal))
            {
                await signal.WaitAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_gate)
            {
                waiters.Remove(signal);
                signal.Reset();
                _idleSignals.Push(signal);
            }
        }
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

        SetAllLocked(_readWaiters);
    }

    private bool TryReadLocked([MaybeNullWhen(false)] out TSegment segment)
    {
        if (_count == 0)
        {
            segment = default;
            return false;
        }

        segment = DequeueLocked();
        _read++;
        if (_blockedWriters > 0)
        {
            Monitor.PulseAll(_gate);
        }

        SetAllLocked(_writeWaiters);
        return true;
    }

    private TSegment DequeueLocked()
    {
        var segment = _buffer[_head];
        _buffer[_head] = default!;
        _head = _head + 1 == _buffer.Length ? 0 : _head + 1;
        _count--;
        return segment;
    }

    private static void SetAllLocked(List<AsyncWaitSignal> waiters)
    {
        if (waiters.Count == 0)
        {
            return;
        }

        foreach (var waiter in waiters)
        {
            waiter.Set();
        }

        waiters.Clear();
    }

    [DoesNotReturn]
    private static void ThrowCompleted() =>
        throw new InvalidOperationException("The segment channel is completed; no more segments can be written.");

    private sealed class SegmentChannelWriter(SegmentChannel<TSegment> channel) : ISegmentWriter<TSegment>
    {
        public bool TryWrite(TSegment segment) => channel.TryWrite(segment);

        public void Write(TSegment segment, CancellationToken cancellationToken = default) => channel.Write(segment, cancellationToken);

        public ValueTask WriteAsync(TSegment segment, CancellationToken cancellationToken = default) => channel.WriteAsync(segment, cancellationToken);

        public void Complete() => channel.Complete();
    }

    private sealed class SegmentChannelReader(SegmentChannel<TSegment> channel) : ISegmentReader<TSegment>
    {
        public int Count => channel.Count;

        public bool IsCompleted => channel.IsCompleted;

        public bool TryRead([MaybeNullWhen(false)] out TSegment segment) => channel.TryRead(out segment);

        public bool TryRead([MaybeNullWhen(false)] out TSegment segment, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            channel.TryRead(out segment, timeout, cancellationToken);

        public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => channel.WaitToReadAsync(cancellationToken);
    }
}
