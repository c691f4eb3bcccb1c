namespace Tempo.Algorithms.Replay;

/// <summary>Prioritized replay's settings, as rainbow_atari.py names and defaults them (Schaul et al. 2016).</summary>
/// <remarks>A transition is drawn with probability p^α / Σ p^α, where p = |TD error| + ε (new ones get the largest p so far);
/// its loss is weighted by (N · P)^−β over the batch's largest weight, β annealed linearly from <see cref="Beta"/> to 1 over the run.</remarks>
public sealed record PrioritizedReplayOptions
{
    /// <summary>How strongly priorities skew sampling: 0 is uniform.</summary>
    public double Alpha { get; init; } = 0.5;

    /// <summary>The importance-sampling exponent at the start of the run.</summary>
    public double Beta { get; init; } = 0.4;

    /// <summary>Added to |TD error| so no transition's priority is zero.</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>Throws naming the first setting out of range.</summary>
    /// <exception cref="ArgumentException">α or β outside [0, 1], or ε not positive.</exception>
    public void Validate()
    {
        if (!(Alpha is >= 0 and <= 1))
        {
            throw new ArgumentException($"prioritized-replay-alpha must be in [0, 1]; got {Alpha}.");
        }

        if (!(Beta is >= 0 and <= 1))
        {
            throw new ArgumentException($"prioritized-replay-beta must be in [0, 1]; got {Beta}.");
        }

        if (!(Epsilon > 0) || double.IsInfinity(Epsilon))
        {
            throw new ArgumentException($"prioritized-replay-eps must be a positive number; got {Epsilon}.");
        }
    }

    /// <summary>β after <paramref name="progress"/> of the run (0 to 1): linear from <see cref="Beta"/> to 1, as rainbow_atari.py anneals it.</summary>
    public double BetaAt(double progress) => Math.Min(1.0, Beta + (Math.Clamp(progress, 0, 1) * (1.0 - Beta)));
}
