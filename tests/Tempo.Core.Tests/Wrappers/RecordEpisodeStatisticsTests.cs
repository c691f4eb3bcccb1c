using Tempo.Core.Envs;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Tests.Wrappers.Progress;
using Tempo.Core.Wrappers;
using Tempo.Core.Wrappers.Progress;

namespace Tempo.Core.Tests.Wrappers;

public sealed class RecordEpisodeStatisticsTests
{
    private readonly float[] _observation = new float[3];
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void Step_EndingStep_ReportsReturnLengthAndWallTime()
    {
        using var env = new RecordEpisodeStatistics<float, int>(new CountingEnv(episodeLength: 3, rewards: [1f, 2f, 3.5f]), timeProvider: _clock);
        env.Reset(_observation, seed: 1);

        _clock.Advance(TimeSpan.FromSeconds(1));
        var first = env.Step([0], _observation);
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var second = env.Step([0], _observation);
        var last = env.Step([0], _observation);

        Assert.Null(first.Episode);
        Assert.Null(second.Episode);
        Assert.Equal(new EpisodeStatistics(6.5, 3, 1.5), last.Episode);
        Assert.Equal(3.5f, last.Reward);
        Assert.True(last.Terminated);
    }

    [Fact]
    public void Step_TruncatedByTimeLimit_ReportsEpisode()
    {
        using var env = new RecordEpisodeStatistics<float, int>(
            new TimeLimit<float, int>(new CountingEnv(episodeLength: 100, rewards: [0.5f]), maxEpisodeSteps: 2), timeProvider: _clock);
        env.Reset(_observation, seed: 1);

        env.Step([0], _observation);
        var last = env.Step([0], _observation);

        Assert.True(last.Truncated);
        Assert.Equal(new EpisodeStatistics(1.0, 2, 0.0), last.Episode);
    }

    [Fact]
    public void Reset_MidEpisode_RestartsReturnLengthAndClock()
    {
        using var env = new RecordEpisodeStatistics<float, int>(new CountingEnv(episodeLength: 2, rewards: [1f, 10f]), timeProvider: _clock);
        env.Reset(_observation, seed: 1);
        env.Step([0], _observation);
        _clock.Advance(TimeSpan.FromSeconds(5));

        env.Reset(_observation);
        Assert.Equal(0.0, env.CurrentEpisodeReturn);
        Assert.Equal(0, env.CurrentEpisodeLength);
        _clock.Advance(TimeSpan.FromSeconds(2));
        env.Step([0], _observation);
        var last = env.Step([0], _observation);

        Assert.Equal(new EpisodeStatistics(11.0, 2, 2.0), last.Episode);
    }

    [Fact]
    public void RecentEpisodes_MoreEpisodesThanQueueSize_KeepsNewestOldestFirst()
    {
        // Episodes of lengths 1, 2 and 3 with reward 1 each, so the returns tell them apart.
        var inner = new ScriptedEnv(
            ScriptedEnv.Terminal(1f),
            ScriptedEnv.Reward(1f),
            ScriptedEnv.Truncation(1f),
            ScriptedEnv.Reward(1f),
            ScriptedEnv.Reward(1f),
            ScriptedEnv.Terminal(1f));
        using var env = new RecordEpisodeStatistics<float, int>(inner, queueSize: 2, timeProvider: _clock);
        var observation = new float[1];
        for (var episode = 0; episode < 3; episode++)
        {
            env.Reset(observation);
            while (!env.Step([0], observation).IsDone)
            {
            }
        }

        Assert.Equal(3, env.EpisodeCount);
        Assert.Equal([2.0, 3.0], env.RecentEpisodes.Select(e => e.Return));
        Assert.Equal([2, 3], env.RecentEpisodes.Select(e => e.Length));
    }

    [Fact]
    public void Step_EnvWithPositionsBelowOtherWrappers_ReportsTheFarthestXOfEachEpisode()
    {
        // The position source sits under another wrapper, as a game env under its stack: found through the chain.
        var game = new PositionEnv { X = 96 };
        using var env = new RecordEpisodeStatistics<float, int>(new WallTimeLimit<float, int>(game, game, TimeSpan.FromHours(1), _clock), timeProvider: _clock);
        var observation = new float[1];
        env.Reset(observation);
        foreach (var x in new[] { 150f, 400f, 380f })
        {
            game.X = x;
            Assert.Null(env.Step([0], observation).Episode);
        }

        game.X = 20; // the last step falls back (a death far behind the best x)
        game.EndNext = true;
        Assert.Equal(new EpisodeStatistics(0, 4, 0, XReached: 400), env.Step([0], observation).Episode);

        // The next episode starts over from the spawn: walking only left, its best x is where it started.
        game.X = 96;
        env.Reset(observation);
        game.X = 50;
        game.EndNext = true;
        Assert.Equal(96, env.Step([0], observation).Episode!.Value.XReached);
    }

    [Fact]
    public void Step_EnvWithoutPositions_ReportsNoXReached()
    {
        using var env = new RecordEpisodeStatistics<float, int>(new CountingEnv(episodeLength: 1, rewards: [1f]), timeProvider: _clock);
        env.Reset(_observation);

        Assert.Null(env.Step([0], _observation).Episode!.Value.XReached);
    }

    [Fact]
    public void Constructor_NonPositiveQueueSize_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RecordEpisodeStatistics<float, int>(new CountingEnv(), queueSize: 0));

        Assert.Contains("got 0", error.Message);
    }
}
