namespace Tempo.Redis.Status;

/// <summary>What a fleet member does.</summary>
public enum FleetRole
{
    /// <summary>The run's one learner.</summary>
    Learner,

    /// <summary>An actor process (one or more actors).</summary>
    Actor,
}
