using Tempo.Core.Envs;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class FrameSkipTests
{
    private readonly float[] _observation = new float[3];

    [Fact]
    public void Step_RepeatsActionAndSumsRewards()
    {
        var inner = new CountingEnv(episodeLength: 10, rewards: [1f, 2f, 3f, 4f, 5f, 6f]);
        using var env = new FrameSkip<float, int>(inner, skip: 3);
        env.Reset(_observation, seed: 1);

        var first = env.Step([2], _observation);
        var second = env.Step([1], _observation);

        Assert.Equal(6f, first.Reward);
        Assert.Equal(15f, second.Reward);
        Assert.Equal(6, inner.TotalSteps);
        Assert.Equal(6f, _observation[0]);
        Assert.Equal(1f, _observation[1]);
        Assert.False(second.IsDone);
    }

    [Fact]
    public void Step_EpisodeEndsMidSkip_StopsAtThatStep()
    {
        var inner = new CountingEnv(episodeLength: 4, rewards: [1f, 2f, 3f, 4f, 100f]);
        using var env = new FrameSkip<float, int>(inner, skip: 3);
        env.Reset(_observation, seed: 1);
        env.Step([0], _observation);

        var last = env.Step([0], _observation);

        Assert.True(last.Terminated);
        Assert.Equal(4f, last.Reward);
        Assert.Equal(4, inner.TotalSteps);
        Assert.Equal(4f, _observation[0]);
    }

    [Fact]
    public void Step_EpisodeEndsMidSkip_KeepsEpisodeStatisticsOfThatStep()
    {
        using var env = new FrameSkip<float, int>(
            new RecordEpisodeStatistics<float, int>(new CountingEnv(episodeLength: 4), timeProvider: new ManualTimeProvider()), skip: 3);
        env.Reset(_observation, seed: 1);

        Assert.Null(env.Step([0], _observation).Episode);
        Assert.Equal(new EpisodeStatistics(4.0, 4, 0.0), env.Step([0], _observation).Episode);
    }

    [Fact]
    public void Step_SkipOne_PassesThrough()
    {
        var inner = new CountingEnv(episodeLength: 10, rewards: [2.5f]);
        using var env = new FrameSkip<float, int>(inner, skip: 1);
        env.Reset(_observation, seed: 1);

        Assert.Equal(2.5f, env.Step([0], _observation).Reward);
        Assert.Equal(1, inner.TotalSteps);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_NonPositiveSkip_ThrowsNamingTheValue(int skip)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FrameSkip<float, int>(new CountingEnv(), skip));

        Assert.Equal("skip", error.ParamName);
        Assert.Contains($"Frame skip must be positive, got {skip}", error.Message);
    }
}
