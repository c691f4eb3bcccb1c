using Tempo.Core.Statistics;

namespace Tempo.Runtime.Checkpoints;

/// <summary>Running mean and variance statistics in a form a checkpoint stores.</summary>
/// <param name="Mean">Per-dimension means.</param>
/// <param name="Variance">Per-dimension variances.</param>
/// <param name="Count">The (fractional) sample count.</param>
public sealed record NormalizerSnapshot(double[] Mean, double[] Variance, double Count)
{
    /// <summary>Captures <paramref name="state"/>.</summary>
    public static NormalizerSnapshot From(RunningMeanStdState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new([.. state.Mean], [.. state.Variance], state.Count);
    }

    /// <summary>Restores the statistics (validated by <see cref="RunningMeanStdState"/>).</summary>
    public RunningMeanStdState ToState() => new(Mean, Variance, Count);
}
