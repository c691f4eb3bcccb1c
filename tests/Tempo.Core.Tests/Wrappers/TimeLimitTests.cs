using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class TimeLimitTests
{
    private readonly float[] _observation = new float[3];

    [Fact]
    public void Step_AtMaxEpisodeSteps_SetsTruncated()
    {
        using var env = new TimeLimit<float, int>(new CountingEnv(episodeLength: 100), maxEpisodeSteps: 3);
        env.Reset(_observation, seed: 1);

        Assert.False(env.Step([0], _observation).Truncated);
        Assert.False(env.Step([0], _observation).Truncated);
        var third = env.Step([0], _observation);

        Assert.True(third.Truncated);
        Assert.False(third.Terminated);
        Assert.Equal(3, env.ElapsedSteps);
    }

    [Fact]
    public void Step_OneBeforeLimit_IsNotTruncated()
    {
        using var env = new TimeLimit<float, int>(new CountingEnv(episodeLength: 100), maxEpisodeSteps: 2);
        env.Reset(_observation, seed: 1);

        var first = env.Step([0], _observation);

        Assert.False(first.Truncated);
        Assert.False(first.IsDone);
    }

    [Fact]
    public void Reset_ClearsElapsedSteps()
    {
        using var env = new TimeLimit<float, int>(new CountingEnv(episodeLength: 100), maxEpisodeSteps: 3);
        env.Reset(_observation, seed: 1);
        env.Step([0], _observation);
        env.Step([0], _observation);

        env.Reset(_observation);

        Assert.Equal(0, env.ElapsedSteps);
        Assert.False(env.Step([0], _observation).Truncated);
        Assert.False(env.Step([0], _observation).Truncated);
        Assert.True(env.Step([0], _observation).Truncated);
    }

    [Fact]
    public void Step_TerminatedOnTheLimitStep_ReportsBothFlags()
    {
        using var env = new TimeLimit<float, int>(new CountingEnv(episodeLength: 3), maxEpisodeSteps: 3);
        env.Reset(_observation, seed: 1);
        env.Step([0], _observation);
        env.Step([0], _observation);

        var last = env.Step([0], _observation);

        Assert.True(last.Terminated);
        Assert.True(last.Truncated);
    }

    [Fact]
    public void Step_TerminatedBeforeLimit_IsNotTruncated()
    {
        using var env = new TimeLimit<float, int>(new CountingEnv(episodeLength: 2), maxEpisodeSteps: 5);
        env.Reset(_observation, seed: 1);
        env.Step([0], _observation);

        var last = env.Step([0], _observation);

        Assert.True(last.Terminated);
        Assert.False(last.Truncated);
    }

    [Fact]
    public void Step_AfterTruncation_ThrowsUntilReset()
    {
        var inner = new CountingEnv(episodeLength: 100);
        using var env = new TimeLimit<float, int>(inner, maxEpisodeSteps: 1);
        env.Reset(_observation, seed: 1);
        env.Step([0], _observation);

        var error = Assert.Throws<InvalidOperationException>(() => env.Step([0], _observation));

        Assert.Contains("Reset", error.Message);
        Assert.Equal(1, inner.TotalSteps);
        env.Reset(_observation);
        Assert.True(env.Step([0], _observation).Truncated);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Constructor_NonPositiveLimit_ThrowsNamingTheValue(int maxEpisodeSteps)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TimeLimit<float, int>(new CountingEnv(), maxEpisodeSteps));

        Assert.Equal("maxEpisodeSteps", error.ParamName);
        Assert.Contains($"got {maxEpisodeSteps}", error.Message);
    }
}
