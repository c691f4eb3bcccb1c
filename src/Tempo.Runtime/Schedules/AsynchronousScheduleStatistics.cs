using Tempo.Algorithms.Experience;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Schedules;

/// <summary>Counters of an asynchronous run: what crossed the channel, what was dropped and why.</summary>
/// <param name="Channel">Segments written, read and dropped because the channel was full.</param>
/// <param name="Lag">Segments accepted or dropped as too stale, with lag mean and max.</param>
/// <param name="Updates">Learner updates done.</param>
/// <param name="Pool">Segments rented from and returned to the schedule's pool (what is outstanding is in actors, the channel or the learner; nothing once a run has returned).</param>
/// <param name="DiscardedAtShutdown">Segments in flight when the run ended (being filled or written by actors, queued, or in the learner's unfinished batch), returned to the pool without being trained on.</param>
public readonly record struct AsynchronousScheduleStatistics(SegmentChannelStatistics Channel, PolicyLagStatistics Lag, long Updates, SegmentPoolStatistics Pool, long DiscardedAtShutdown);
