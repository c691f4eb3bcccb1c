namespace Tempo.Algorithms.Experience;

/// <summary>A snapshot of a segment pool's counters since it was created.</summary>
/// <param name="Allocated">Segments the pool had to allocate because it was empty.</param>
/// <param name="Rented">Segments handed out.</param>
/// <param name="Returned">Segments handed back.</param>
/// <param name="Discarded">Returned segments left to the garbage collector because the pool was full.</param>
/// <param name="Available">Segments resting in the pool now.</param>
public readonly record struct SegmentPoolStatistics(long Allocated, long Rented, long Returned, long Discarded, int Available)
{
    /// <summary>Segments rented and not yet returned: in actors, queues or the learner.</summary>
    public long Outstanding => Rented - Returned;
}
