using System.Diagnostics.CodeAnalysis;

namespace Tempo.Runtime.Transport;

/// <summary>The learner's half of a segment channel: takes the segments actors wrote, oldest first.</summary>
/// <typeparam name="TSegment">The segment type.</typeparam>
public interface ISegmentReader<TSegment>
{
    /// <summary>Segments waiting to be read now.</summary>
    int Count { get; }

    /// <summary>Whether the channel is completed and every queued segment has been read.</summary>
    bool IsCompleted { get; }

    /// <summary>Takes the oldest queued segment without waiting.</summary>
    /// <returns><see langword="true"/> with a segment; <see langword="false"/> if none is queued.</returns>
    bool TryRead([MaybeNullWhen(false)] out TSegment segment);

    /// <summary>Takes the oldest segment, blocking the calling thread up to <paramref name="timeout"/> until one arrives; for a learner thread.</summary>
    /// <param name="segment">Receives the segment.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits until a segment arrives or the channel completes.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns><see langword="true"/> with a segment; <see langword="false"/> if the timeout elapsed or the channel is completed and drained (see <see cref="IsCompleted"/>).</returns>
    bool TryRead([MaybeNullWhen(false)] out TSegment segment, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Waits asynchronously until a segment can be read or the channel is completed and drained.</summary>
    /// <returns><see langword="true"/> when a segment is queued (another reader may still take it first); <see langword="false"/> when no more will come.</returns>
    ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default);
}
