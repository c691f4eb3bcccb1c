using Tempo.Core.Seeding;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Checkpoints;

/// <summary>Everything but the weights and optimizer states that a training run needs to continue where it stopped.</summary>
/// <remarks>
/// <para>Envs are not part of it: a live game cannot be rewound, so a resumed run starts fresh episodes (with a seed
/// derived from the run's seed and the resume count) and keeps everything learned: weights, optimizer moments,
/// normalizer statistics, counters and the learner's random streams.</para>
/// <para>Nor is experience: in an asynchronous run, segments that actors were filling, that waited in the channel or
/// that the learner had not trained on yet when the checkpoint was written are not saved; a resumed run collects anew.</para>
/// <para>Members added after the first release are optional and take their default when an older file lacks them
/// (see docs/formats/checkpoint.md); the list members coalesce null to empty because the generated JSON reader sets
/// every init-only member, passing null for a missing one.</para>
/// </remarks>
public sealed record TrainingCheckpoint
{
    /// <summary>The run's configuration as written to config.json (a flat JSON object).</summary>
    public required string Config { get; init; }

    /// <summary>The id of the env the run trained on, as its registry knows it; null in files written before it was recorded.</summary>
    public string? Env { get; init; }

    /// <summary>The network the weights belong to; null in files written before it was recorded.</summary>
    public ModelSpec? Model { get; init; }

    /// <summary>Wall-clock seconds the run had trained for, over every resume.</summary>
    public double WallTimeSeconds { get; init; }

    /// <summary>Env steps taken over all actors.</summary>
    public required long GlobalStep { get; init; }

    /// <summary>Learner updates done.</summary>
    public required long Updates { get; init; }

    /// <summary>Transitions the learner has trained on; drives the learning-rate annealing of APPO and IMPALA (0 for PPO, which anneals by updates, and in files written before it existed).</summary>
    public long TrainedSteps { get; init; }

    /// <summary>The policy version of the saved weights.</summary>
    public required long PolicyVersion { get; init; }

    /// <summary>Episodes finished.</summary>
    public required long Episodes { get; init; }

    /// <summary>How many times the run was resumed before this checkpoint was written.</summary>
    public int Resumes { get; init; }

    /// <summary>Random-source states by stream (see <see cref="RandomStreamKey"/>: <c>learner</c>, <c>policy</c>; <c>actor-0</c>, <c>actor-1</c>, … for the actors of an asynchronous run).</summary>
    public required IReadOnlyDictionary<string, RandomSourceState> RandomStates { get; init; }

    /// <summary>The state of the random stream <paramref name="key"/>; throws if the checkpoint has none (it was written by another kind of run).</summary>
    /// <exception cref="InvalidDataException">The checkpoint holds no such stream.</exception>
    public RandomSourceState RequireRandomState(RandomStreamKey key) =>
        RandomStates.TryGetValue(key.Name, out var state)
            ? state
            : throw new InvalidDataException($"The checkpoint has no '{key}' random state (it holds {string.Join(", ", RandomStates.Keys.Select(k => $"'{k}'"))}); it was written by another kind of run.");

    /// <summary>Observation normalizer statistics, one per env, in env order (actor by actor in an asynchronous run); empty when none is used.</summary>
    public IReadOnlyList<NormalizerSnapshot> ObservationNormalizers { get; init => field = value ?? []; } = [];

    /// <summary>The names of the optimizer states the file holds after its parameters, in file order; written by <see cref="CheckpointFile.Save"/> from the optimizers it saves (a value set here is replaced). Empty in a format-version-1 file, whose one optimizer state shares the parameters' blob.</summary>
    public IReadOnlyList<string> Optimizers { get; init => field = value ?? []; } = [];

    /// <summary>Reward normalizer statistics, one per env, in env order (actor by actor in an asynchronous run); empty when none is used.</summary>
    public IReadOnlyList<RewardNormalizerSnapshot> RewardNormalizers { get; init => field = value ?? []; } = [];
}
