using Tempo.Runtime.Checkpoints;

namespace Tempo.Runtime.Runs.Checkpointing;

/// <summary>One piece of a run's own state (one actor's stream and normalizers) that a checkpoint saves and a resume restores, each under its own key; the learner saves and restores its own state through <see cref="LearnerCheckpoint"/>.</summary>
internal interface ICheckpointPart
{
    /// <summary>Adds this part's state to <paramref name="draft"/>; called on the learner's thread while nothing trains.</summary>
    void Capture(CheckpointDraft draft);

    /// <summary>Takes this part's state from <paramref name="checkpoint"/>; called before the run starts.</summary>
    /// <exception cref="InvalidDataException">The checkpoint lacks state this part cannot do without.</exception>
    void Restore(TrainingCheckpoint checkpoint);
}
