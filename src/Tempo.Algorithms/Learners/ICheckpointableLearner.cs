using Tempo.Algorithms.Models;
using Tempo.Nn.Optimizers;

namespace Tempo.Algorithms.Learners;

/// <summary>A learner that trains an actor-critic by gradient steps, with the parts a checkpoint saves and restores.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
public interface ICheckpointableLearner<TObservation, TAction> : ILearner<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>The model it trains.</summary>
    IActorCritic<TObservation, TAction> Model { get; }

    /// <summary>Its optimizer (the state a checkpoint saves).</summary>
    IOptimizer Optimizer { get; }

    /// <summary>Updates done and transitions trained on.</summary>
    LearnerProgress Progress { get; }

    /// <summary>Continues from a checkpoint's counters; weights and optimizer state are loaded separately.</summary>
    void RestoreProgress(LearnerProgress progress);
}
