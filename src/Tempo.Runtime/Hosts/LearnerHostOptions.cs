namespace Tempo.Runtime.Hosts;

/// <summary>Settings of a learner host.</summary>
public sealed record LearnerHostOptions
{
    /// <summary>Segments per learner update.</summary>
    public int SegmentsPerUpdate { get; init; } = 1;

    /// <summary>Segments whose behaviour policy lags the learner by more than this many versions are dropped and counted.</summary>
    public long MaxPolicyLag { get; init; } = 20;

    /// <summary>Stop once the segments read account for this many env steps, or <see langword="null"/> to run until the segment reader completes.</summary>
    /// <remarks>An in-process run leaves the budget to its actor host, which completes the reader at the budget, so the learner trains on every segment handed over.</remarks>
    public long? TotalSteps { get; init; }

    /// <summary>Run the learner below normal priority and at <see cref="Threading.ThreadNiceness.Learner"/>, so that on a small machine actors keep their deadlines.</summary>
    public bool LowerPriority { get; init; } = true;

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SegmentsPerUpdate);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxPolicyLag);
        if (TotalSteps is { } total)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total, nameof(TotalSteps));
        }
    }
}
