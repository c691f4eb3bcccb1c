using Tempo.Algorithms.Experience;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Runtime.Transport.Loopback;

/// <summary>The actor side of the loopback: encodes each segment into a pooled message and queues the bytes; the segment goes straight back to the actors' pool.</summary>
/// <remarks>
/// A segment the queue refuses stays the caller's (the <see cref="ISegmentWriter{TSegment}"/> contract); only the
/// message buffer goes back. What the queue drops when full is a message, returned by the queue's drop callback.
/// </remarks>
internal sealed class EncodingSegmentWriter<TObservation, TAction>(
    SegmentCodec<TObservation, TAction> codec,
    SegmentPool<TObservation, TAction> actorPool,
    WireMessagePool messages,
    ISegmentWriter<WireMessage> queue) : ISegmentWriter<Segment<TObservation, TAction>>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private long _encoded;

    /// <summary>Segments encoded and queued.</summary>
    public long Encoded => Interlocked.Read(ref _encoded);

    public bool TryWrite(Segment<TObservation, TAction> segment)
    {
        var message = Encode(segment);
        if (!queue.TryWrite(message))
        {
            messages.Return(message);
            return false;
        }

        Handed(segment);
        return true;
    }

    public void Write(Segment<TObservation, TAction> segment, CancellationToken cancellationToken = default)
    {
        var message = Encode(segment);
        try
        {
            queue.Write(message, cancellationToken);
        }
        catch
        {
            messages.Return(message);
            throw;
        }

        Handed(segment);
    }

    public ValueTask WriteAsync(Segment<TObservation, TAction> segment, CancellationToken cancellationToken = default)
    {
        var message = Encode(segment);
        var write = queue.WriteAsync(message, cancellationToken);
        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            Handed(segment);
            return default;
        }

        return AwaitWrite(write, segment, message);
    }

    public void Complete() => queue.Complete();

    private async ValueTask AwaitWrite(ValueTask write, Segment<TObservation, TAction> segment, WireMessage message)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch
        {
            messages.Return(message);
            throw;
        }

        Handed(segment);
    }

    private WireMessage Encode(Segment<TObservation, TAction> segment)
    {
        var message = messages.Rent();
        message.Length = codec.Encode(segment, message.Buffer);
        return message;
    }

    // The bytes are all that cross; the segment is free for the next collection.
    private void Handed(Segment<TObservation, TAction> segment)
    {
        Interlocked.Increment(ref _encoded);
        actorPool.Return(segment);
    }
}
