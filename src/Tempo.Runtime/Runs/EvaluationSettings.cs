using Tempo.Algorithms.Policies;

namespace Tempo.Runtime.Runs;

/// <summary>How to evaluate a trained policy: how many episodes, from which seed, how actions are chosen, and whether to record the first one.</summary>
public sealed record EvaluationSettings
{
    /// <summary>Episodes to play.</summary>
    public int Episodes { get; init; } = 10;

    /// <summary>Seed of the first episode; episode i uses seed + i.</summary>
    public int Seed { get; init; } = 1000;

    /// <summary>
    /// How actions are chosen: the most likely one (greedy, the default), or drawn from the policy as in training, which
    /// is what a stochastic policy was optimized to do (CleanRL's evaluation samples; SB3's <c>deterministic=False</c>).
    /// Draws come from a stream seeded by <see cref="Seed"/>, so a sampled evaluation repeats exactly.
    /// </summary>
    public ActionSelection Selection { get; init; } = ActionSelection.Deterministic;

    /// <summary>Record the first episode to this GIF or MP4 file (MP4 needs ffmpeg); null records nothing.</summary>
    public string? VideoPath { get; init; }

    /// <summary>Frames per second of a recorded video; classic-control envs render at 50 in Gymnasium.</summary>
    public double FramesPerSecond { get; init; } = 50;

    /// <summary>Throws naming the first invalid setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Episodes <= 0)
        {
            throw new ArgumentException($"episodes must be positive; got {Episodes}.");
        }

        if (!double.IsFinite(FramesPerSecond) || FramesPerSecond <= 0)
        {
            throw new ArgumentException($"frames per second must be positive; got {FramesPerSecond}.");
        }
    }
}
