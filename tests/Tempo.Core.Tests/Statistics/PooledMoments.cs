namespace Tempo.Core.Tests.Statistics;

/// <summary>
/// Independent closed-form reference for Gymnasium's RunningMeanStd: its state after any sequence of updates equals the
/// pooled moments of a pseudo-sample of weight ε (mean 0, variance 1) and the data, computed here in two passes.
/// </summary>
public static class PooledMoments
{
    public const double PriorCount = 1e-4;

    public static (double Mean, double Variance, double Count) Of(IReadOnlyList<double> data)
    {
        var count = PriorCount + data.Count;
        var mean = data.Sum() / count;

        // Prior pseudo-sample: weight ε, variance 1, centre 0; then the data's squared deviations from the pooled mean.
        var m2 = (PriorCount * (1.0 + (mean * mean))) + data.Sum(x => (x - mean) * (x - mean));
        return (mean, m2 / count, count);
    }

    public static (double Mean, double Variance) TwoPass(IReadOnlyList<double> data)
    {
        var mean = data.Sum() / data.Count;
        return (mean, data.Sum(x => (x - mean) * (x - mean)) / data.Count);
    }
}
