using Tempo.Core.Statistics;

namespace Tempo.Core.Tests.Statistics;

public sealed class RunningMeanStdTests
{
    private static readonly double[][] _samples =
    [
        [1.5, -2.0],
        [0.25, 4.0],
        [3.0, 10.0],
        [-1.0, 7.5],
        [2.0, -3.25],
        [0.5, 0.0],
    ];

    [Fact]
    public void New_StartsAtGymnasiumPrior()
    {
        var statistics = new RunningMeanStd(3);

        Assert.Equal([0.0, 0.0, 0.0], statistics.Mean.ToArray());
        Assert.Equal([1.0, 1.0, 1.0], statistics.Variance.ToArray());
        Assert.Equal(1e-4, statistics.Count);
    }

    [Fact]
    public void Update_SingleSamples_MatchPooledTwoPassReference()
    {
        var statistics = new RunningMeanStd(2);
        foreach (var sample in _samples)
        {
            statistics.Update<double>(sample);
        }

        for (var d = 0; d < 2; d++)
        {
            var column = _samples.Select(s => s[d]).ToArray();
            var expected = PooledMoments.Of(column);
            Assert.Equal(expected.Mean, statistics.Mean[d], 1e-12);
            Assert.Equal(expected.Variance, statistics.Variance[d], 1e-12);
        }

        Assert.Equal(PooledMoments.PriorCount + _samples.Length, statistics.Count, 1e-12);
    }

    [Fact]
    public void Update_ManySamples_ApproachesPlainTwoPassMeanAndVariance()
    {
        var random = new Random(7);
        var data = Enumerable.Range(0, 2000).Select(_ => (random.NextDouble() * 6) - 1).ToArray();
        var statistics = new RunningMeanStd(1);
        foreach (var x in data)
        {
            statistics.Update<float>([(float)x]);
        }

        var floats = data.Select(x => (double)(float)x).ToArray();
        var (mean, variance) = PooledMoments.TwoPass(floats);
        Assert.Equal(mean, statistics.Mean[0], 1e-6);
        Assert.Equal(variance, statistics.Variance[0], 1e-6);
    }

    [Fact]
    public void UpdateBatch_EqualsPooledReferenceAndSequentialUpdates()
    {
        var batched = new RunningMeanStd(2);
        var sequential = new RunningMeanStd(2);
        batched.UpdateBatch<double>(_samples.Take(4).SelectMany(s => s).ToArray());
        batched.UpdateBatch<double>(_samples.Skip(4).SelectMany(s => s).ToArray());
        foreach (var sample in _samples)
        {
            sequential.Update<double>(sample);
        }

        for (var d = 0; d < 2; d++)
        {
            var expected = PooledMoments.Of(_samples.Select(s => s[d]).ToArray());
            Assert.Equal(expected.Mean, batched.Mean[d], 1e-12);
            Assert.Equal(expected.Variance, batched.Variance[d], 1e-12);
            Assert.Equal(sequential.Mean[d], batched.Mean[d], 1e-12);
            Assert.Equal(sequential.Variance[d], batched.Variance[d], 1e-12);
        }

        Assert.Equal(sequential.Count, batched.Count, 1e-12);
    }

    [Fact]
    public void UpdateFromMoments_OneBatch_MatchesHandComputedGymnasiumFormula()
    {
        // From (mean 0, var 1, count 1e-4) merge a batch with mean 2, var 3, count 4:
        // delta = 2, total = 4.0001, mean = 8 / 4.0001, var = (1e-4 + 12 + 4 * 1e-4 * 4 / 4.0001) / 4.0001.
        var statistics = new RunningMeanStd(1);

        statistics.UpdateFromMoments([2.0], [3.0], 4);

        Assert.Equal(8 / 4.0001, statistics.Mean[0], 1e-15);
        Assert.Equal((1e-4 + 12 + (16e-4 / 4.0001)) / 4.0001, statistics.Variance[0], 1e-15);
        Assert.Equal(4.0001, statistics.Count, 1e-15);
    }

    [Fact]
    public void GetState_SetState_RoundTripsExactly()
    {
        var source = new RunningMeanStd(2);
        foreach (var sample in _samples)
        {
            source.Update<double>(sample);
        }

        var state = source.GetState();
        var restored = new RunningMeanStd(2);
        restored.SetState(state);

        Assert.Equal(source.Mean.ToArray(), restored.Mean.ToArray());
        Assert.Equal(source.Variance.ToArray(), restored.Variance.ToArray());
        Assert.Equal(source.Count, restored.Count);
        Assert.Equal(state, restored.GetState());
        Assert.Equal(state.GetHashCode(), restored.GetState().GetHashCode());

        source.Update<double>([1.0, 1.0]);
        Assert.NotEqual(state, source.GetState());
        Assert.Equal(6 + 1e-4, state.Count, 1e-12);
    }

    [Fact]
    public void SetState_WrongDimension_Throws()
    {
        var statistics = new RunningMeanStd(2);
        var state = new RunningMeanStd(3).GetState();

        var error = Assert.Throws<ArgumentException>(() => statistics.SetState(state));
        Assert.Contains("3", error.Message);
    }

    [Fact]
    public void State_InvalidValues_Throw()
    {
        Assert.Throws<ArgumentException>(() => new RunningMeanStdState([0.0], [-1.0], 1));
        Assert.Throws<ArgumentException>(() => new RunningMeanStdState([double.NaN], [1.0], 1));
        Assert.Throws<ArgumentException>(() => new RunningMeanStdState([0.0, 1.0], [1.0], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RunningMeanStdState([0.0], [1.0], 0));
    }

    [Fact]
    public void Update_WrongLength_Throws()
    {
        var statistics = new RunningMeanStd(2);

        Assert.Throws<ArgumentException>(() => statistics.Update<float>([1f, 2f, 3f]));
        Assert.Throws<ArgumentException>(() => statistics.UpdateBatch<float>([1f, 2f, 3f]));
        Assert.Throws<ArgumentException>(() => statistics.UpdateBatch<float>([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => statistics.UpdateFromMoments([0.0, 0.0], [1.0, 1.0], 0));
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RunningMeanStd(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RunningMeanStd(1, initialCount: 0));
    }
}
