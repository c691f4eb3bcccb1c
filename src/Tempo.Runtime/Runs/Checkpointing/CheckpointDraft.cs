using Tempo.Core.Seeding;
using Tempo.Runtime.Checkpoints;

namespace Tempo.Runtime.Runs.Checkpointing;

/// <summary>What the parts of a run contribute to one checkpoint, before the run adds its counters.</summary>
internal sealed class CheckpointDraft
{
    /// <summary>Random-stream states by key.</summary>
    public Dictionary<string, RandomSourceState> RandomStates { get; } = new(StringComparer.Ordinal);

    /// <summary>Observation normalizers of every env, actor by actor, in env order.</summary>
    public List<NormalizerSnapshot> ObservationNormalizers { get; } = [];

    /// <summary>Reward normalizers of every env, actor by actor, in env order.</summary>
    public List<RewardNormalizerSnapshot> RewardNormalizers { get; } = [];

    /// <summary>Learner updates done.</summary>
    public long Updates { get; set; }

    /// <summary>Transitions the learner trained on.</summary>
    public long TrainedSteps { get; set; }

    /// <summary>The learner's policy version.</summary>
    public long PolicyVersion { get; set; }

    /// <summary>Adds the state of random stream <paramref name="key"/>.</summary>
    public void AddRandomState(RandomStreamKey key, RandomSourceState state) => RandomStates.Add(key.Name, state);
}
