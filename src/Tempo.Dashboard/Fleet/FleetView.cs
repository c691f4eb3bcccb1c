using Tempo.Redis.Status;

namespace Tempo.Dashboard.Fleet;

/// <summary>A Redis fleet as the dashboard shows it.</summary>
/// <param name="Redis">The Redis the fleet runs on (without its password).</param>
/// <param name="Run">The run's name in Redis.</param>
/// <param name="RunId">The learner's published run id; null before a learner published the run.</param>
/// <param name="Error">Why the fleet cannot be read right now (Redis down); null when it was read.</param>
/// <param name="ReadUtc">When the fleet was last read; null before the first read.</param>
/// <param name="Members">The learner and every actor process that ever beat for this run.</param>
public sealed record FleetView(string Redis, string Run, string? RunId, string? Error, DateTimeOffset? ReadUtc, IReadOnlyList<FleetMemberView> Members);

/// <summary>One fleet member and its state.</summary>
/// <param name="State">What the member is doing (see <see cref="FleetMemberState"/>).</param>
/// <param name="Status">Its last heartbeat, as <c>tempo status</c> shows it.</param>
public sealed record FleetMemberView(FleetMemberState State, FleetMemberStatus Status)
{
    /// <summary>The state a heartbeat says: gone when it stopped beating, buffering when an actor's outbox holds more than the one segment being sent.</summary>
    public static FleetMemberView Of(FleetMemberStatus status) => new(
        !status.Alive ? FleetMemberState.Gone
        : status.Role == FleetRole.Learner ? FleetMemberState.Learning
        : status.SegmentsBuffered > 1 ? FleetMemberState.Buffering
        : FleetMemberState.Acting,
        status);
}

/// <summary>What a fleet member is doing.</summary>
public enum FleetMemberState
{
    /// <summary>An actor beating and sending everything it collects.</summary>
    Acting,

    /// <summary>An actor beating but holding segments it could not send yet (Redis or the learner away, or the link too slow).</summary>
    Buffering,

    /// <summary>The learner, beating.</summary>
    Learning,

    /// <summary>No heartbeat within the heartbeat's time to live: the process died, hung or lost Redis.</summary>
    Gone,
}
