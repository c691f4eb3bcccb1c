namespace Tempo.Algorithms.Learners;

/// <summary>How far a learner has trained: what annealing schedules read and a checkpoint restores.</summary>
/// <param name="Updates">Updates done (one per call to <see cref="ILearner{TObservation, TAction}.Update"/>).</param>
/// <param name="TrainedSteps">Transitions trained on.</param>
public readonly record struct LearnerProgress(long Updates, long TrainedSteps);
