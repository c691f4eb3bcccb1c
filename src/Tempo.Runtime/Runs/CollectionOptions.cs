using Tempo.Core.Configuration;

namespace Tempo.Runtime.Runs;

/// <summary>How experience is collected: the envs each actor steps, the steps per rollout or segment, and the run's budget.</summary>
/// <remarks>
/// The learner's batch shape follows from these (and, on the asynchronous schedule, from the actors), so no
/// algorithm's options repeat them. Each property binds to the config key and CLI flag of the same name in kebab-case.
/// </remarks>
public sealed record CollectionOptions
{
    /// <summary>Env steps to take in total, over every env and actor.</summary>
    public long TotalTimesteps { get; init; } = 500_000;

    /// <summary>Envs each actor steps together (a vector env).</summary>
    public int NumEnvs { get; init; } = 4;

    /// <summary>Steps per env in each rollout (synchronous) or segment (asynchronous).</summary>
    public int NumSteps { get; init; } = 128;

    /// <summary>Throws naming the first setting that is not positive.</summary>
    /// <exception cref="ArgumentException">A setting is not positive.</exception>
    public void Validate()
    {
        OptionError.Require(TotalTimesteps > 0, nameof(TotalTimesteps), TotalTimesteps, "must be positive");
        OptionError.Require(NumEnvs > 0, nameof(NumEnvs), NumEnvs, "must be positive");
        OptionError.Require(NumSteps > 0, nameof(NumSteps), NumSteps, "must be positive");
    }
}
