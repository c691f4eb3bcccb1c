using System.Collections.Immutable;

namespace Tempo.Core.Statistics;

/// <summary>An immutable snapshot of a <see cref="RunningMeanStd"/>: per-dimension mean and variance, and the sample count.</summary>
/// <remarks>Equality compares the values element by element, so a restored snapshot equals the one it came from.</remarks>
public sealed record RunningMeanStdState
{
    /// <summary>Creates a snapshot; the spans are copied and must have the same, positive length.</summary>
    /// <exception cref="ArgumentException">The lengths differ or are zero, a variance is negative, or a value or the count is not finite.</exception>
    public RunningMeanStdState(ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, double count)
    {
        if (mean.IsEmpty || mean.Length != variance.Length)
        {
            throw new ArgumentException($"Mean and variance must have the same positive length; got {mean.Length} and {variance.Length}.", nameof(variance));
        }

        for (var i = 0; i < mean.Length; i++)
        {
            if (!double.IsFinite(mean[i]) || !double.IsFinite(variance[i]) || variance[i] < 0)
            {
                throw new ArgumentException($"Element {i} has mean={mean[i]} and variance={variance[i]}; both must be finite and the variance non-negative.", nameof(variance));
            }
        }

        if (!double.IsFinite(count) || count <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The count must be positive and finite.");
        }

        Mean = [.. mean];
        Variance = [.. variance];
        Count = count;
    }

    /// <summary>The running mean, one value per dimension.</summary>
    public ImmutableArray<double> Mean { get; }

    /// <summary>The running (population) variance, one value per dimension.</summary>
    public ImmutableArray<double> Variance { get; }

    /// <summary>The number of samples seen, including the small initial count.</summary>
    public double Count { get; }

    /// <summary>The number of dimensions tracked.</summary>
    public int Dimension => Mean.Length;

    /// <inheritdoc/>
    public bool Equals(RunningMeanStdState? other) =>
        other is not null
        && Count.Equals(other.Count)
        && Mean.AsSpan().SequenceEqual(other.Mean.AsSpan())
        && Variance.AsSpan().SequenceEqual(other.Variance.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Count);
        foreach (var x in Mean)
        {
            hash.Add(x);
        }

        foreach (var x in Variance)
        {
            hash.Add(x);
        }

        return hash.ToHashCode();
    }
}
