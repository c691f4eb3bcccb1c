using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Hosts;

/// <summary>Counters of a learner host.</summary>
/// <param name="SegmentsRead">Segments taken from the reader.</param>
/// <param name="Lag">Segments accepted or dropped as too stale, with lag mean and max.</param>
/// <param name="Updates">Learner updates done.</param>
/// <param name="Discarded">Segments read but never trained on because the run ended: an unfinished batch, and those drained by <see cref="LearnerHost{TObservation, TAction}.DiscardRemaining"/>.</param>
public readonly record struct LearnerHostStatistics(long SegmentsRead, PolicyLagStatistics Lag, long Updates, long Discarded);
