namespace Tempo.Core.Envs;

/// <summary>The outcome of one step: reward, the two ways an episode ends, and typed extras.</summary>
/// <param name="Reward">The reward for the transition.</param>
/// <param name="Terminated">The MDP reached a terminal state; do not bootstrap.</param>
/// <param name="Truncated">The episode was cut off (time limit, crash); bootstrap from the final observation.</param>
public readonly record struct StepResult(float Reward, bool Terminated, bool Truncated)
{
    /// <summary>Statistics of the episode that this step finished, when a <c>RecordEpisodeStatistics</c> wrapper is present.</summary>
    public EpisodeStatistics? Episode { get; init; }

    /// <summary>Whether the episode ended, either way.</summary>
    public bool IsDone => Terminated || Truncated;
}
