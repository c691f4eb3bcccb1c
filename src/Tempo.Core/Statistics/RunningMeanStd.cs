using System.Numerics;

namespace Tempo.Core.Statistics;

/// <summary>Running per-dimension mean and variance of a stream of samples, exactly as Gymnasium's <c>RunningMeanStd</c>.</summary>
/// <remarks>
/// Starts at mean 0, variance 1 and a count of <c>1e-4</c> (Gymnasium's <c>epsilon</c>), and merges each batch
/// with the parallel algorithm of Chan et al. (Gymnasium's <c>update_mean_var_count_from_moments</c>):
/// <c>δ = m_B − m</c>, <c>n' = n + n_B</c>, <c>m' = m + δ·n_B/n'</c>,
/// <c>v' = (v·n + v_B·n_B + δ²·n·n_B/n') / n'</c>. Batch variances are population variances (ddof 0).
/// Everything is computed in float64.
/// </remarks>
public sealed class RunningMeanStd
{
    /// <summary>Gymnasium's initial count, which keeps the first update from dividing by zero.</summary>
    public const double DefaultInitialCount = 1e-4;

    private readonly double[] _mean;
    private readonly double[] _variance;
    private double _count;

    /// <summary>Creates statistics for samples of <paramref name="dimension"/> values each.</summary>
    /// <param name="dimension">Values per sample (1 for a scalar stream such as returns).</param>
    /// <param name="initialCount">The count before any update; Gymnasium's <c>epsilon</c>.</param>
    public RunningMeanStd(int dimension, double initialCount = DefaultInitialCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (!double.IsFinite(initialCount) || initialCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(initialCount), initialCount, "The initial count must be positive and finite.");
        }

        _mean = new double[dimension];
        _variance = new double[dimension];
        Array.Fill(_variance, 1.0);
        _count = initialCount;
    }

    /// <summary>Values per sample.</summary>
    public int Dimension => _mean.Length;

    /// <summary>The running mean, one value per dimension.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>The running population variance, one value per dimension.</summary>
    public ReadOnlySpan<double> Variance => _variance;

    /// <summary>The number of samples merged so far, plus the initial count.</summary>
    public double Count => _count;

    /// <summary>Merges one sample of <see cref="Dimension"/> values (a batch of one, as Gymnasium's single-env wrappers do).</summary>
    public void Update<T>(ReadOnlySpan<T> sample)
        where T : unmanaged, INumberBase<T>
    {
        RequireLength(sample.Length, Dimension, nameof(sample));
        var batchCount = 1.0;
        var total = _count + batchCount;
        for (var i = 0; i < _mean.Length; i++)
        {
            Merge(i, double.CreateTruncating(sample[i]), 0.0, batchCount, total);
        }

        _count = total;
    }

    /// <summary>Merges a batch of samples laid out row by row (<c>samples.Length</c> is a multiple of <see cref="Dimension"/>).</summary>
    public void UpdateBatch<T>(ReadOnlySpan<T> samples)
        where T : unmanaged, INumberBase<T>
    {
        var dimension = Dimension;
        if (samples.IsEmpty || samples.Length % dimension != 0)
        {
            throw new ArgumentException($"A batch needs a positive multiple of {dimension} values (one row per sample), got {samples.Length}.", nameof(samples));
        }

        var rows = samples.Length / dimension;
        var total = _count + rows;
        for (var i = 0; i < dimension; i++)
        {
            // Two passes per column: the batch mean, then the population variance around it (as np.var).
            var sum = 0.0;
            for (var r = 0; r < rows; r++)
            {
                sum += double.CreateTruncating(samples[(r * dimension) + i]);
            }

            var batchMean = sum / rows;
            var squares = 0.0;
            for (var r = 0; r < rows; r++)
            {
                var d = double.CreateTruncating(samples[(r * dimension) + i]) - batchMean;
                squares += d * d;
            }

            Merge(i, batchMean, squares / rows, rows, total);
        }

        _count = total;
    }

    /// <summary>Merges a batch summarised by its per-dimension mean, population variance and sample count.</summary>
    public void UpdateFromMoments(ReadOnlySpan<double> batchMean, ReadOnlySpan<double> batchVariance, double batchCount)
    {
        RequireLength(batchMean.Length, Dimension, nameof(batchMean));
        RequireLength(batchVariance.Length, Dimension, nameof(batchVariance));
        if (!double.IsFinite(batchCount) || batchCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchCount), batchCount, "The batch count must be positive and finite.");
        }

        var total = _count + batchCount;
        for (var i = 0; i < _mean.Length; i++)
        {
            Merge(i, batchMean[i], batchVariance[i], batchCount, total);
        }

        _count = total;
    }

    /// <summary>Captures the statistics as an immutable snapshot (for checkpoints).</summary>
    public RunningMeanStdState GetState() => new(_mean, _variance, _count);

    /// <summary>Restores statistics captured by <see cref="GetState"/>; the snapshot must have the same dimension.</summary>
    public void SetState(RunningMeanStdState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Dimension != Dimension)
        {
            throw new ArgumentException($"The snapshot tracks {state.Dimension} dimensions; these statistics track {Dimension}.", nameof(state));
        }

        state.Mean.CopyTo(_mean);
        state.Variance.CopyTo(_variance);
        _count = state.Count;
    }

    private void Merge(int i, double batchMean, double batchVariance, double batchCount, double total)
    {
        var delta = batchMean - _mean[i];
        var m2 = (_variance[i] * _count) + (batchVariance * batchCount) + (delta * delta * _count * batchCount / total);
        _mean[i] += delta * batchCount / total;
        _variance[i] = m2 / total;
    }

    private static void RequireLength(int length, int expected, string parameterName)
    {
        if (length != expected)
        {
            throw new ArgumentException($"Expected {expected} values (one per dimension), got {length}.", parameterName);
        }
    }
}
