namespace Tempo.Runtime.Transport;

/// <summary>A consistent snapshot of an in-process segment channel's counters since it was created.</summary>
/// <param name="Written">Segments accepted by the channel.</param>
/// <param name="Read">Segments taken by readers.</param>
/// <param name="DroppedFull">Segments dropped (oldest first) because the channel was full in <see cref="QueueFullMode.DropOldest"/> mode.</param>
/// <param name="Count">Segments waiting in the channel now.</param>
/// <param name="Capacity">The most segments the channel holds.</param>
public readonly record struct SegmentChannelStatistics(long Written, long Read, long DroppedFull, int Count, int Capacity);
