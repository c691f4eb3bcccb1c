using Tempo.Core.Seeding;
using Tempo.Runtime.Checkpoints;

namespace Tempo.Runtime.Runs.Checkpointing;

/// <summary>What the actor-side parts of a run contribute to one checkpoint; the learner's part is its own (<see cref="LearnerCheckpoint"/>).</summary>
internal sealed class CheckpointDraft
{
    /// <summary>Random-stream states by key.</summary>
    public Dictionary<string, RandomSourceState> RandomStates { get; } = new(StringComparer.Ordinal);

    /// <summary>Observation normalizers of every env, actor by actor, in env order.</summary>
    public List<NormalizerSnapshot> ObservationNormalizers { get; } = [];

    /// <summary>Reward normalizers of every env, actor by actor, in env order.</summary>
    public List<RewardNormalizerSnapshot> RewardNormalizers { get; } = [];

    /// <summary>Adds the state of random stream <paramref name="key"/>.</summary>
    public void AddRandomState(RandomStreamKey key, RandomSourceState state) => RandomStates.Add(key.Name, state);
}
