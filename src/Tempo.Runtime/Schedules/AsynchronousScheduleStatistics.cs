using Tempo.Algorithms.Experience;
using Tempo.Runtime.Hosts;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Loopback;

namespace Tempo.Runtime.Schedules;

/// <summary>Counters of an asynchronous run: what crossed the channel, what was dropped and why, how the actors fared.</summary>
/// <param name="Channel">Segments written, read and dropped because the channel was full.</param>
/// <param name="Lag">Segments accepted or dropped as too stale, with lag mean and max.</param>
/// <param name="Updates">Learner updates done.</param>
/// <param name="Pool">Segments rented from and returned to the run's pool (what is outstanding is in actors, the channel or the learner; nothing once a run has returned); with a wire check, the actors' and the learner's pools together.</param>
/// <param name="Discarded">Segments returned to the pool without being trained on: in flight when the run ended (being filled or written by actors, queued, or in the learner's unfinished batch) or being filled by an actor that failed.</param>
/// <param name="Actors">Segments the actor host wrote, actor failures and restarts.</param>
/// <param name="Wire">With <see cref="AsynchronousScheduleOptions.WireCheck"/>, what was encoded, decoded and rejected; otherwise <see langword="null"/>.</param>
public readonly record struct AsynchronousScheduleStatistics(
    SegmentChannelStatistics Channel, PolicyLagStatistics Lag, long Updates, SegmentPoolStatistics Pool, long Discarded, ActorHostStatistics Actors, LoopbackWireStatistics? Wire = null);
