namespace Tempo.Runtime.Transport;

/// <summary>The actor's half of a segment channel: hands finished segments to the learner side.</summary>
/// <typeparam name="TSegment">The segment type.</typeparam>
/// <remarks>
/// A written segment belongs to the channel (and then to the reader) until the reader returns it to its pool;
/// the writer must not touch it again. A segment that could not be written still belongs to the writer.
/// </remarks>
public interface ISegmentWriter<TSegment>
{
    /// <summary>Writes <paramref name="segment"/> without waiting.</summary>
    /// <returns>
    /// <see langword="true"/> if the channel took the segment (in drop-oldest mode it always does, evicting the oldest
    /// when full); <see langword="false"/> if it is full in wait mode or completed.
    /// </returns>
    bool TryWrite(TSegment segment);

    /// <summary>Writes <paramref name="segment"/>, blocking the calling thread while the channel is full; for synchronous simulator loops that must not lose data.</summary>
    /// <exception cref="InvalidOperationException">The channel is completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting; the segment was not written.</exception>
    void Write(TSegment segment, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="segment"/>, waiting asynchronously while the channel is full.</summary>
    /// <exception cref="InvalidOperationException">The channel is completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting; the segment was not written.</exception>
    ValueTask WriteAsync(TSegment segment, CancellationToken cancellationToken = default);

    /// <summary>Marks the channel as finished: readers drain what is queued and then see the end. Calling it again has no effect.</summary>
    void Complete();
}
