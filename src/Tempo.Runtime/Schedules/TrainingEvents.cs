using Tempo.Algorithms.Learners;

namespace Tempo.Runtime.Schedules;

/// <summary>A rollout has been collected.</summary>
/// <param name="Iteration">The iteration, from 1.</param>
/// <param name="GlobalStep">Env steps so far over all actors.</param>
public readonly record struct RolloutEnded(long Iteration, long GlobalStep);

/// <summary>A learner update is about to start.</summary>
/// <param name="Iteration">The iteration, from 1.</param>
/// <param name="GlobalStep">Env steps so far over all actors.</param>
/// <param name="Paused">Whether the envs were paused for the update.</param>
public readonly record struct UpdateStarting(long Iteration, long GlobalStep, bool Paused);

/// <summary>A learner update finished.</summary>
/// <param name="Iteration">The iteration, from 1.</param>
/// <param name="GlobalStep">Env steps so far over all actors.</param>
/// <param name="Statistics">What the update measured.</param>
public readonly record struct UpdateFinished(long Iteration, long GlobalStep, LearnerStatistics Statistics);
