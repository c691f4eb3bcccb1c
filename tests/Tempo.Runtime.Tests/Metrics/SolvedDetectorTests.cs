using Tempo.Core.Envs;
using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Tests.Metrics;

public sealed class SolvedDetectorTests
{
    private static EpisodeReport Episode(long step, double wallSeconds, double episodeReturn) =>
        new(step, wallSeconds, new EpisodeStatistics(episodeReturn, (int)episodeReturn, 1.0));

    [Fact]
    public void Observe_TargetReachedBeforeWindowIsFull_IsNotSolved()
    {
        var detector = new SolvedDetector(targetReturn: 475);
        for (var i = 0; i < 19; i++)
        {
            Assert.False(detector.Observe(Episode(i * 500, i, 500)));
        }

        Assert.False(detector.IsSolved);
        Assert.Null(detector.SolvedAt);
    }

    [Fact]
    public void Observe_EpisodeThatBringsTheLastTwentyMeanToTarget_SolvesAtThatEpisode()
    {
        var detector = new SolvedDetector(targetReturn: 475);

        // 20 episodes of 450 (mean 450), then 500s: after k of them the mean is 450 + 2.5k, which reaches 475 at k = 10.
        long step = 0;
        for (var i = 0; i < 20; i++)
        {
            step += 450;
            Assert.False(detector.Observe(Episode(step, step / 1000.0, 450)));
        }

        for (var k = 1; k <= 9; k++)
        {
            step += 500;
            Assert.False(detector.Observe(Episode(step, step / 1000.0, 500)));
        }

        step += 500;
        Assert.True(detector.Observe(Episode(step, 14.0, 500)));
        Assert.True(detector.IsSolved);
        Assert.Equal(step, detector.SolvedAt!.Value.GlobalStep);
        Assert.Equal("solved: step=14000 wall_s=14.00", detector.SolvedLine);
    }

    [Fact]
    public void Observe_AfterSolved_ReturnsFalseAndKeepsTheFirstSolvingEpisode()
    {
        var detector = new SolvedDetector(targetReturn: 10, windowSize: 2);
        Assert.False(detector.Observe(Episode(5, 0.5, 10)));
        Assert.True(detector.Observe(Episode(10, 1.0, 10)));

        Assert.False(detector.Observe(Episode(15, 1.5, 10)));
        Assert.False(detector.Observe(Episode(20, 2.0, 0)));
        Assert.Equal(10, detector.SolvedAt!.Value.GlobalStep);
    }

    [Fact]
    public void Observe_MeanJustBelowTarget_IsNotSolved()
    {
        var detector = new SolvedDetector(targetReturn: 10, windowSize: 2);
        detector.Observe(Episode(1, 0.1, 10));

        Assert.False(detector.Observe(Episode(2, 0.2, 9.999)));
    }

    [Fact]
    public void SolvedLine_BeforeSolved_Throws()
    {
        var detector = new SolvedDetector(targetReturn: 475);

        var error = Assert.Throws<InvalidOperationException>(() => detector.SolvedLine);
        Assert.Contains("475", error.Message);
    }

    [Theory]
    [InlineData(187700L, 29.6, "solved: step=187700 wall_s=29.60")]
    [InlineData(0L, 0.0, "solved: step=0 wall_s=0.00")]
    [InlineData(106752L, 1234.5678, "solved: step=106752 wall_s=1234.57")]
    [InlineData(31976L, 5.8149, "solved: step=31976 wall_s=5.81")]
    public void FormatSolvedLine_WritesStepAndSecondsWithTwoDecimals(long step, double wallSeconds, string expected)
    {
        Assert.Equal(expected, SolvedDetector.FormatSolvedLine(step, wallSeconds));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Constructor_NonFiniteTarget_Throws(double target)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SolvedDetector(target));
    }
}
