namespace Tempo.Runtime.Hosts;

/// <summary>Counters of an actor host.</summary>
/// <param name="SegmentsWritten">Segments handed to the segment writer.</param>
/// <param name="SegmentsDiscarded">Segments returned to the pool unwritten: being filled when an actor failed, or being filled or waiting for room when the host stopped.</param>
/// <param name="Failures">Times an actor threw.</param>
/// <param name="Restarts">Times a failed actor was rebuilt and started again.</param>
/// <param name="RunningActors">Actor threads running now.</param>
public readonly record struct ActorHostStatistics(long SegmentsWritten, long SegmentsDiscarded, long Failures, long Restarts, int RunningActors);
