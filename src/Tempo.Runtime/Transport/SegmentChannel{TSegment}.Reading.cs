using System.Diagnostics.CodeAnalysis;

namespace Tempo.Runtime.Transport;

// The reading side: non-blocking, blocking and asynchronous reads, and handing freed slots to waiting writers.
public sealed partial class SegmentChannel<TSegment>
{
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

        AsyncWaiter<TSegment> waiter;
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

            waiter = RentWaiterLocked(default!);
            _readWaiters.Add(waiter);
        }

        waiter.RegisterCancellation(cancellationToken);
        return waiter.AsValueTaskOfBool();
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

        // The freed slot goes to the longest-waiting asynchronous writer, else to a blocked one.
        while (_writeWaiters.Count > 0 && _count < _buffer.Length)
        {
            var waiter = _writeWaiters[0];
            _writeWaiters.RemoveAt(0);
            if (waiter.TryClaim())
            {
                WriteLocked(waiter.Segment);
                waiter.SetResult(true);
            }
        }

        if (_blockedWriters > 0 && _count < _buffer.Length)
        {
            Monitor.PulseAll(_gate);
        }

        return true;
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
