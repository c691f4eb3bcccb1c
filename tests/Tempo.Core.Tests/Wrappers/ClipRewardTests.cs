using Tempo.Core.Envs;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class ClipRewardTests
{
    private readonly float[] _observation = new float[3];

    [Fact]
    public void Step_ClipsRewardIntoRange()
    {
        using var env = new ClipReward<float, int>(new CountingEnv(episodeLength: 10, rewards: [-5f, 0.3f, 7f, -1f]), -1f, 1f);
        env.Reset(_observation, seed: 0);

        float[] rewards = [.. Enumerable.Range(0, 4).Select(_ => env.Step([0], _observation).Reward)];

        Assert.Equal([-1f, 0.3f, 1f, -1f], rewards);
    }

    [Fact]
    public void Step_InfiniteBound_ClipsOneSideOnly()
    {
        using var env = new ClipReward<float, int>(new CountingEnv(episodeLength: 10, rewards: [-50f, 50f]), 0f, float.PositiveInfinity);
        env.Reset(_observation, seed: 0);

        Assert.Equal(0f, env.Step([0], _observation).Reward);
        Assert.Equal(50f, env.Step([0], _observation).Reward);
    }

    [Fact]
    public void Step_KeepsUnclippedEpisodeStatisticsFromBelow()
    {
        using var env = new ClipReward<float, int>(
            new RecordEpisodeStatistics<float, int>(new CountingEnv(episodeLength: 2, rewards: [5f]), timeProvider: new ManualTimeProvider()), -1f, 1f);
        env.Reset(_observation, seed: 0);
        env.Step([0], _observation);

        var last = env.Step([0], _observation);

        Assert.Equal(1f, last.Reward);
        Assert.Equal(new EpisodeStatistics(10.0, 2, 0.0), last.Episode);
    }

    [Theory]
    [InlineData(1f, -1f)]
    [InlineData(float.NaN, 1f)]
    [InlineData(0f, float.NaN)]
    public void Constructor_InvalidBounds_ThrowsNamingTheValues(float min, float max)
    {
        var error = Assert.Throws<ArgumentException>(() => new ClipReward<float, int>(new CountingEnv(), min, max));

        Assert.Contains("min <= max", error.Message);
    }
}
