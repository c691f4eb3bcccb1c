namespace Tempo.Core.Envs.Classic;

/// <summary>The settings of <see cref="MountainCarContinuous"/>; the defaults are Gymnasium's MountainCarContinuous-v0.</summary>
public sealed record MountainCarContinuousOptions
{
    /// <summary>Velocity the car must have (besides reaching the flag) for the episode to terminate.</summary>
    public double GoalVelocity { get; init; }

    /// <summary>Lower bound of the uniform draw of the initial position.</summary>
    public double ResetLow { get; init; } = -0.6;

    /// <summary>Upper bound of the uniform draw of the initial position.</summary>
    public double ResetHigh { get; init; } = -0.4;

    /// <summary>Throws if a setting is out of range.</summary>
    public void Validate()
    {
        OptionChecks.Finite(GoalVelocity);
        OptionChecks.ResetRange(ResetLow, ResetHigh);
    }
}
