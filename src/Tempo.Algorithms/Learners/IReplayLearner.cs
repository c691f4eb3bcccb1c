namespace Tempo.Algorithms.Learners;

/// <summary>A learner that trains from a replay buffer, which a checkpoint may carry so a resumed run does not start from an empty one.</summary>
public interface IReplayLearner
{
    /// <summary>Whether its settings ask checkpoints to carry the buffer (<c>checkpoint-replay</c>).</summary>
    bool CheckpointsReplay { get; }

    /// <summary>Writes the replay buffer.</summary>
    void SaveReplay(Stream stream);

    /// <summary>Replaces the replay buffer with one <see cref="SaveReplay"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The data is not a buffer of this learner's layout.</exception>
    void LoadReplay(Stream stream);
}
