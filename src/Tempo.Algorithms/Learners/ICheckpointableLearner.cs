using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Learners;

/// <summary>A learner whose state a checkpoint can save and restore, whatever its algorithm.</summary>
/// <remarks>
/// The state is: every parameter it has learned (policy, critics, target networks, temperatures), the state of every
/// optimizer, its progress counters, its policy version and its own random streams. The model that acts (what a
/// snapshot is loaded into) is not part of it: that belongs to the run.
/// </remarks>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
public interface ICheckpointableLearner<TObservation, TAction> : ILearner<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>Everything learned, under unique names that stay the same across versions (for SAC: actor, both critics, both target critics, log α).</summary>
    IReadOnlyList<NamedParameter> Parameters { get; }

    /// <summary>Every optimizer, under unique stable names; each updates a subset of <see cref="Parameters"/>.</summary>
    IReadOnlyList<NamedOptimizer> Optimizers { get; }

    /// <summary>The learner's own random streams (shuffles, sampling) under stable names; empty when it has none.</summary>
    IReadOnlyDictionary<RandomStreamKey, RandomSource> RandomStreams { get; }

    /// <summary>How far it has trained.</summary>
    LearnerProgress Progress { get; }

    /// <summary>Continues from a checkpoint's counters and policy version; parameters, optimizer states and random streams are loaded into the objects above.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A counter is negative.</exception>
    void Restore(LearnerProgress progress, PolicyVersion version);
}
