namespace Tempo.Core.Envs.Checking;

/// <summary>Budgets for <see cref="EnvChecker"/>.</summary>
public sealed record EnvCheckOptions
{
    /// <summary>Steps taken with random actions to check observations and rewards; episodes are reset as they end.</summary>
    public int RolloutSteps { get; init; } = 1000;

    /// <summary>Steps replayed twice with the same seed and actions to check determinism (fewer if the episode ends).</summary>
    public int DeterminismSteps { get; init; } = 100;

    /// <summary>Throws if a budget is not positive.</summary>
    public void Validate()
    {
        if (RolloutSteps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RolloutSteps), RolloutSteps, $"The rollout budget must be positive, got {RolloutSteps}.");
        }

        if (DeterminismSteps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DeterminismSteps), DeterminismSteps, $"The determinism budget must be positive, got {DeterminismSteps}.");
        }
    }
}
