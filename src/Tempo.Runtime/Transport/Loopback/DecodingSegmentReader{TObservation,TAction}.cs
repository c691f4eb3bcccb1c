using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Tempo.Algorithms.Experience;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Runtime.Transport.Loopback;

/// <summary>The learner side of the loopback: takes queued messages, decodes each into a segment rented from the learner's pool, and skips (and counts) what the codec rejects.</summary>
/// <remarks>A rejected message never reaches the learner: its segment goes back to the pool and the read goes on with the next message, within the same timeout.</remarks>
internal sealed class DecodingSegmentReader<TObservation, TAction>(
    SegmentCodec<TObservation, TAction> codec,
    SegmentPool<TObservation, TAction> learnerPool,
    WireMessagePool messages,
    ISegmentReader<WireMessage> queue) : ISegmentReader<Segment<TObservation, TAction>>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private long _decoded;
    private long _rejected;

    /// <summary>Messages decoded into segments and handed to the learner.</summary>
    public long Decoded => Interlocked.Read(ref _decoded);

    /// <summary>Messages the codec rejected (per reason in the codec's counters).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Messages waiting, rejected ones included until they are read.</summary>
    public int Count => queue.Count;

    public bool IsCompleted => queue.IsCompleted;

    public bool TryRead([MaybeNullWhen(false)] out Segment<TObservation, TAction> segment)
    {
        while (queue.TryRead(out var message))
        {
            if (TryDecode(message, out segment))
            {
                return true;
            }
        }

        segment = null;
        return false;
    }

    public bool TryRead([MaybeNullWhen(false)] out Segment<TObservation, TAction> segment, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var infinite = timeout == Timeout.InfiniteTimeSpan;
        var start = Stopwatch.GetTimestamp();
        var remaining = timeout;
        while (queue.TryRead(out var message, remaining, cancellationToken))
        {
            if (TryDecode(message, out segment))
            {
                return true;
            }

            if (!infinite)
            {
                remaining = timeout - Stopwatch.GetElapsedTime(start);
                if (remaining < TimeSpan.Zero)
                {
                    remaining = TimeSpan.Zero;
                }
            }
        }

        segment = null;
        return false;
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => queue.WaitToReadAsync(cancellationToken);

    private bool TryDecode(WireMessage message, [MaybeNullWhen(false)] out Segment<TObservation, TAction> segment)
    {
        var target = learnerPool.Rent();
        var accepted = codec.TryDecode(message.Bytes, target, out _);
        messages.Return(message);
        if (!accepted)
        {
            Interlocked.Increment(ref _rejected);
            learnerPool.Return(target);
            segment = null;
            return false;
        }

        Interlocked.Increment(ref _decoded);
        segment = target;
        return true;
    }
}
