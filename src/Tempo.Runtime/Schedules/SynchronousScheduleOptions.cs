namespace Tempo.Runtime.Schedules;

/// <summary>Settings of the synchronous (collect, then train) schedule.</summary>
public sealed record SynchronousScheduleOptions
{
    /// <summary>Rollout-and-update iterations to run.</summary>
    public required long Iterations { get; init; }

    /// <summary>Steps per env in each rollout.</summary>
    public required int StepsPerRollout { get; init; }

    /// <summary>Pause envs that can pause while the learner trains (the default); turn off to measure what happens without.</summary>
    public bool PauseDuringUpdates { get; init; } = true;

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Iterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(StepsPerRollout);
    }
}
