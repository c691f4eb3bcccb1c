using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Schedules;

/// <summary>Settings of the asynchronous schedule: actors and learner run at once, joined by a bounded segment channel.</summary>
public sealed record AsynchronousScheduleOptions
{
    /// <summary>Stop once the actors have taken this many env steps in total.</summary>
    public required long TotalSteps { get; init; }

    /// <summary>Steps per env in each segment (T).</summary>
    public required int StepsPerSegment { get; init; }

    /// <summary>Segments per learner update.</summary>
    public int SegmentsPerUpdate { get; init; } = 1;

    /// <summary>Segments the channel holds before its full policy applies.</summary>
    public int QueueCapacity { get; init; } = 16;

    /// <summary>What a full channel does: drop the oldest segment (live envs: actors never wait) or make actors wait (simulators: lose nothing).</summary>
    public QueueFullMode WhenFull { get; init; } = QueueFullMode.DropOldest;

    /// <summary>Segments whose behaviour policy lags the learner by more than this many versions are dropped and counted.</summary>
    public long MaxPolicyLag { get; init; } = 20;

    /// <summary>How many times one actor may fail and be rebuilt (needs a rebuild factory); an actor failing more often stays down, and the run fails only when every actor is down.</summary>
    public int MaxRestartsPerActor { get; init; }

    /// <summary>Run actor threads above normal priority and the learner below it, so that on a small machine actors keep their deadlines.</summary>
    public bool PrioritizeActors { get; init; } = true;

    /// <summary>
    /// Join the hosts through the wire format (<see cref="Transport.Loopback.LoopbackWireTransport{TObservation, TAction}"/>):
    /// every segment and snapshot is encoded, queued as bytes and decoded, as between processes. Costs a copy and a
    /// checksum per message; use it to check an env's segments (shapes, NaN) before going to a fleet.
    /// </summary>
    public bool WireCheck { get; init; }

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TotalSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(StepsPerSegment);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SegmentsPerUpdate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(QueueCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxPolicyLag);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRestartsPerActor);
    }
}
