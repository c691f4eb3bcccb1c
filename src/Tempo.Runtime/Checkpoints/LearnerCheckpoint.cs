using Tempo.Algorithms.Learners;
using Tempo.Core.Seeding;

namespace Tempo.Runtime.Checkpoints;

/// <summary>Saves and restores a learner's part of a checkpoint through its algorithm-neutral contract: parameters, optimizer states, progress, policy version and random streams.</summary>
/// <remarks>The run adds its own part (configuration, env steps, episodes, actors' streams, normalizers) to the metadata.</remarks>
public static class LearnerCheckpoint
{
    /// <summary>Copies the learner's state now (call it on the learner's thread) into an image with <paramref name="run"/>'s metadata.</summary>
    /// <param name="learner">The learner.</param>
    /// <param name="run">The run's part of the metadata; its learner counters, policy version and the learner's random states are replaced by the learner's own.</param>
    public static CheckpointImage Capture<TObservation, TAction>(ICheckpointableLearner<TObservation, TAction> learner, TrainingCheckpoint run)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(run);
        var randomStates = new Dictionary<string, RandomSourceState>(run.RandomStates, StringComparer.Ordinal);
        foreach (var (key, stream) in learner.RandomStreams)
        {
            randomStates[key.Name] = stream.GetState();
        }

        var checkpoint = run with
        {
            Updates = learner.Progress.Updates,
            TrainedSteps = learner.Progress.TrainedSteps,
            PolicyVersion = learner.Version.Value,
            RandomStates = randomStates,
        };
        return CheckpointImage.Capture(checkpoint, learner.Parameters, States(learner));
    }

    /// <summary>Loads the checkpoint at <paramref name="path"/> into <paramref name="learner"/> and returns its metadata (with the run's part).</summary>
    /// <exception cref="InvalidDataException">The file is invalid, made for another model or other optimizers, or lacks one of the learner's random streams; then the learner is unchanged.</exception>
    public static TrainingCheckpoint Load<TObservation, TAction>(string path, ICheckpointableLearner<TObservation, TAction> learner)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(learner);
        var metadata = CheckpointFile.ReadMetadata(path);
        foreach (var (key, _) in learner.RandomStreams)
        {
            var name = key.Name;
            if (!metadata.RandomStates.ContainsKey(name))
            {
                throw new InvalidDataException(
                    $"Checkpoint {path} has no '{name}' random state for the learner (it holds {string.Join(", ", metadata.RandomStates.Keys.Select(k => $"'{k}'"))}); it was written by another kind of learner.");
            }
        }

        var checkpoint = CheckpointFile.Load(path, learner.Parameters, States(learner));
        foreach (var (key, stream) in learner.RandomStreams)
        {
            stream.SetState(checkpoint.RandomStates[key.Name]);
        }

        learner.Restore(new LearnerProgress(checkpoint.Updates, checkpoint.TrainedSteps), new(checkpoint.PolicyVersion));
        return checkpoint;
    }

    private static NamedOptimizerState[] States<TObservation, TAction>(ICheckpointableLearner<TObservation, TAction> learner)
        where TObservation : unmanaged
        where TAction : unmanaged =>
        [.. learner.Optimizers.Select(NamedOptimizerState.Of)];
}
