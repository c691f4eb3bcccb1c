using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Runtime.Checkpoints;

namespace Tempo.Runtime.Runs.Checkpointing;

/// <summary>The learner's counters, policy version and random stream (its weights and optimizer state travel as the checkpoint's parameters).</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <param name="learner">The learner.</param>
/// <param name="random">Its random stream.</param>
internal sealed class LearnerCheckpointPart<TObservation, TAction>(ICheckpointableLearner<TObservation, TAction> learner, RandomSource random) : ICheckpointPart
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <inheritdoc/>
    public void Capture(CheckpointDraft draft)
    {
        (draft.Updates, draft.TrainedSteps) = learner.Progress;
        draft.PolicyVersion = learner.Version.Value;
        draft.AddRandomState(RandomStreamKey.Learner, random.GetState());
    }

    /// <inheritdoc/>
    public void Restore(TrainingCheckpoint checkpoint)
    {
        learner.RestoreProgress(new LearnerProgress(checkpoint.Updates, checkpoint.TrainedSteps));
        learner.Model.SetVersion(new PolicyVersion(checkpoint.PolicyVersion));
        random.SetState(checkpoint.RequireRandomState(RandomStreamKey.Learner));
    }
}
