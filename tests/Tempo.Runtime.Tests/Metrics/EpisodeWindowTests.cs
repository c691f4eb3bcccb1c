using Tempo.Core.Envs;
using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Tests.Metrics;

public sealed class EpisodeWindowTests
{
    private static EpisodeStatistics Episode(double episodeReturn, int length = 1) => new(episodeReturn, length, 0.0);

    [Fact]
    public void Means_Empty_AreNull()
    {
        var window = new EpisodeWindow();

        Assert.Null(window.ReturnMean);
        Assert.Null(window.LengthMean);
        Assert.Equal(0, window.Count);
        Assert.Equal(EpisodeWindow.DefaultCapacity, window.Capacity);
        Assert.Equal(20, window.Capacity);
    }

    [Fact]
    public void ReturnMean_FewerEpisodesThanCapacity_AveragesThoseThere()
    {
        var window = new EpisodeWindow();
        window.Add(Episode(10, 100));
        window.Add(Episode(20, 200));
        window.Add(Episode(60, 303));

        Assert.Equal(30.0, window.ReturnMean);
        Assert.Equal(201.0, window.LengthMean);
        Assert.False(window.IsFull);
    }

    [Fact]
    public void ReturnMean_MoreEpisodesThanCapacity_AveragesTheLastTwenty()
    {
        var window = new EpisodeWindow();
        for (var i = 1; i <= 25; i++)
        {
            window.Add(Episode(i, i * 10));
        }

        // Episodes 6..25: mean 15.5; lengths 60..250: mean 155.
        Assert.Equal(15.5, window.ReturnMean);
        Assert.Equal(155.0, window.LengthMean);
        Assert.True(window.IsFull);
        Assert.Equal(20, window.Count);
        Assert.Equal(25, window.TotalEpisodes);
    }

    [Fact]
    public void XReachedMean_AveragesTheEpisodesThatReportOne_AndIsNullWhenNoneDoes()
    {
        var window = new EpisodeWindow(capacity: 3);
        window.Add(Episode(1));
        Assert.Null(window.XReachedMean);

        window.Add(new EpisodeStatistics(1, 1, 0, XReached: 800));
        window.Add(new EpisodeStatistics(1, 1, 0, XReached: 1400));
        Assert.Equal(1100.0, window.XReachedMean);

        // The episode without a position leaves the window; the oldest with one follows.
        window.Add(new EpisodeStatistics(1, 1, 0, XReached: 2300));
        window.Add(new EpisodeStatistics(1, 1, 0, XReached: 2300));
        Assert.Equal((1400.0 + 2300 + 2300) / 3, window.XReachedMean);
    }

    [Fact]
    public void ReturnMean_SmallWindow_EvictsOldestFirst()
    {
        var window = new EpisodeWindow(capacity: 3);
        window.Add(Episode(100));
        window.Add(Episode(1));
        window.Add(Episode(2));
        Assert.Equal(103.0 / 3.0, window.ReturnMean);

        window.Add(Episode(3));
        Assert.Equal(2.0, window.ReturnMean);
    }

    [Fact]
    public void ReturnMean_SumsOldestToNewest_IndependentOfRingPosition()
    {
        // 1e16 + 1 - 1e16 depends on order; the mean must equal the chronological sum of the kept episodes.
        var window = new EpisodeWindow(capacity: 3);
        window.Add(Episode(7));
        window.Add(Episode(1e16));
        window.Add(Episode(1));
        window.Add(Episode(-1e16));

        Assert.Equal((1e16 + 1 + -1e16) / 3, window.ReturnMean);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_NonPositiveCapacity_Throws(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpisodeWindow(capacity));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Add_NonFiniteReturn_Throws(double episodeReturn)
    {
        var window = new EpisodeWindow();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => window.Add(Episode(episodeReturn)));
        Assert.Contains("finite", error.Message);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void Add_NegativeLength_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpisodeWindow().Add(Episode(1, -1)));
    }
}
