namespace Tempo.Redis.Status;

/// <summary>One process of a fleet as it last reported itself: the row of <c>tempo status</c>, and what a dashboard reads.</summary>
/// <remarks>Counters are the process's own since it started; fields that do not apply to a role are zero or null.</remarks>
public sealed record FleetMemberStatus
{
    /// <summary>The member's key: <c>learner</c>, or <c>actor-{id}</c> (its first actor's id).</summary>
    public required string Member { get; init; }

    /// <summary>Learner or actor process.</summary>
    public required FleetRole Role { get; init; }

    /// <summary>The process's incarnation of this member id: 1 for the first process, counted up by each restart.</summary>
    public long Incarnation { get; init; }

    /// <summary>Machine name.</summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>Operating-system process id on that machine.</summary>
    public int ProcessId { get; init; }

    /// <summary>When the member last reported, Unix time in milliseconds (the member's clock).</summary>
    public long LastSeenUnixMs { get; init; }

    /// <summary>Whether its heartbeat key is still alive; filled in by the reader, not stored. A gone member stops counting in totals.</summary>
    public bool Alive { get; init; }

    /// <summary>Env steps: an actor's own, or the learner's count of the run's.</summary>
    public long Steps { get; init; }

    /// <summary>Env steps per second over the member's last 10 s (or since it started), from its own step counts and monotonic clock.</summary>
    public double StepsPerSecond { get; init; }

    /// <summary>The policy version the member acts with (actor) or published last (learner), or -1 before any.</summary>
    public long PolicyVersion { get; init; } = -1;

    /// <summary>An actor's lag: the newest version announced minus the version it acts with.</summary>
    public long PolicyLag { get; init; }

    /// <summary>Median action gap in milliseconds since the previous heartbeat Redis took (an actor's worst env by p99; the worst of each statistic over the heartbeats Redis missed), or null when its envs record none.</summary>
    public double? GapP50Ms { get; init; }

    /// <summary>99th-percentile action gap in milliseconds.</summary>
    public double? GapP99Ms { get; init; }

    /// <summary>Largest action gap in milliseconds.</summary>
    public double? GapMaxMs { get; init; }

    /// <summary>World ticks an actor process's live envs ran late (deadline overruns, summed over its envs) since it started; 0 without live envs.</summary>
    public long LateTicks { get; init; }

    /// <summary>Segments an actor process's actors filled and handed to its outbox: each is sent, dropped or still buffered.</summary>
    public long SegmentsWritten { get; init; }

    /// <summary>Segments an actor process added to the stream.</summary>
    public long SegmentsSent { get; init; }

    /// <summary>Segments an actor process dropped from its full outbox (oldest first) while Redis was away.</summary>
    public long SegmentsDropped { get; init; }

    /// <summary>Segments waiting in an actor process's outbox.</summary>
    public long SegmentsBuffered { get; init; }

    /// <summary>Times the member's connection to Redis was restored after a loss.</summary>
    public long Reconnects { get; init; }

    /// <summary>Segments the learner accepted.</summary>
    public long SegmentsReceived { get; init; }

    /// <summary>Entries the learner rejected (malformed, truncated, oversized, foreign run, …) and acknowledged.</summary>
    public long SegmentsRejected { get; init; }

    /// <summary>Entries the learner had already seen (at-least-once redelivery), acknowledged and skipped.</summary>
    public long SegmentsDuplicate { get; init; }

    /// <summary>Segments the learner dropped unused because their policy lagged beyond its max-policy-lag.</summary>
    public long SegmentsStale { get; init; }

    /// <summary>The learner's updates in this process.</summary>
    public long Updates { get; init; }

    /// <summary>Snapshots the learner refused to publish because they held a NaN or infinite weight.</summary>
    public long NonFiniteSnapshots { get; init; }
}
