using Tempo.Core.Seeding;

namespace Tempo.Runtime.Checkpoints;

/// <summary>Everything but the weights that a training run needs to continue where it stopped.</summary>
/// <remarks>
/// Envs are not part of it: a live game cannot be rewound, so a resumed run starts fresh episodes (with a seed
/// derived from the run's seed and the resume count) and keeps everything learned: weights, optimizer moments,
/// normalizer statistics, counters and the learner's random streams.
/// </remarks>
public sealed record TrainingCheckpoint
{
    /// <summary>The run's configuration as written to config.json (a flat JSON object).</summary>
    public required string Config { get; init; }

    /// <summary>Env steps taken over all actors.</summary>
    public required long GlobalStep { get; init; }

    /// <summary>Learner updates done.</summary>
    public required long Updates { get; init; }

    /// <summary>The policy version of the saved weights.</summary>
    public required long PolicyVersion { get; init; }

    /// <summary>Episodes finished.</summary>
    public required long Episodes { get; init; }

    /// <summary>How many times the run was resumed before this checkpoint was written.</summary>
    public int Resumes { get; init; }

    /// <summary>Named random-source states (e.g. <c>learner</c>, <c>policy</c>).</summary>
    public required IReadOnlyDictionary<string, RandomSourceState> RandomStates { get; init; }

    /// <summary>Observation normalizer statistics, one per env, in env order; empty when none is used.</summary>
    public IReadOnlyList<NormalizerSnapshot> ObservationNormalizers { get; init; } = [];

    /// <summary>Reward normalizer statistics, one per env, in env order; empty when none is used.</summary>
    public IReadOnlyList<RewardNormalizerSnapshot> RewardNormalizers { get; init; } = [];
}
