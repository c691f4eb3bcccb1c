namespace Tempo.Redis.Status;

/// <summary>A run's fleet as read from Redis at one moment: its learner and every actor process that ever reported.</summary>
/// <param name="Run">The run's name.</param>
/// <param name="RunId">The run's id, or null if no learner has published the run yet.</param>
/// <param name="Members">Every member, the learner first, then actors by id; gone ones included (see <see cref="FleetMemberStatus.Alive"/>).</param>
public sealed record FleetStatus(string Run, string? RunId, IReadOnlyList<FleetMemberStatus> Members)
{
    /// <summary>Env steps per second of the actors alive now.</summary>
    public double ActorStepsPerSecond => Members.Where(m => m.Alive && m.Role == FleetRole.Actor).Sum(m => m.StepsPerSecond);

    /// <summary>Actor processes alive now.</summary>
    public int ActorsAlive => Members.Count(m => m.Alive && m.Role == FleetRole.Actor);
}
