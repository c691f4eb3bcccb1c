using Tempo.Core.Envs;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers.Progress;

namespace Tempo.Core.Tests.Wrappers.Progress;

/// <summary>The seed user's position wrappers, each on its own over a fake position source; the expected values are the rules worked by hand.</summary>
public sealed class ProgressWrapperTests
{
    private readonly float[] _observation = new float[1];

    [Fact]
    public void WallTimeLimit_truncates_at_the_cap_and_does_not_count_time_paused()
    {
        var clock = new ManualTimeProvider();
        var game = new PositionEnv();
        using var env = new WallTimeLimit<float, int>(game, game, TimeSpan.FromSeconds(120), clock);
        env.Reset(_observation);
        Assert.False(Step(env).Truncated); // the first action starts the episode's clock
        clock.Advance(TimeSpan.FromSeconds(100));
        Assert.False(Step(env).Truncated);
        env.Pause();
        clock.Advance(TimeSpan.FromSeconds(60));
        env.Resume(_observation);
        Assert.False(Step(env).Truncated); // 100 s of episode time, 60 s paused
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(Step(env).Truncated);
        env.Reset(_observation);
        Assert.False(Step(env).Truncated);
    }

    [Fact]
    public void StagnationLimit_truncates_after_4_s_within_10_px_and_progress_restarts_the_window()
    {
        var clock = new ManualTimeProvider();
        var game = new PositionEnv { X = 100 };
        using var env = new StagnationLimit<float, int>(game, game, 10, TimeSpan.FromSeconds(4), clock);
        env.Reset(_observation);
        Assert.False(Step(env).Truncated); // the first action starts the episode's clock
        clock.Advance(TimeSpan.FromSeconds(3));
        game.X = 109; // 9 px: not progress
        Assert.False(Step(env).Truncated);
        clock.Advance(TimeSpan.FromSeconds(0.9));
        game.X = 95;
        Assert.False(Step(env).Truncated);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        game.X = 91; // 4.1 s since reset, still within 10 px of 100
        Assert.True(Step(env).Truncated);

        env.Reset(_observation); // the window starts at the reset x (91)
        Assert.False(Step(env).Truncated);
        clock.Advance(TimeSpan.FromSeconds(3));
        game.X = 101; // 10 px: progress, the window restarts here
        Assert.False(Step(env).Truncated);
        clock.Advance(TimeSpan.FromSeconds(3.9));
        Assert.False(Step(env).Truncated);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(Step(env).Truncated);
    }

    [Fact]
    public void Time_between_the_reset_and_the_first_action_counts_against_neither_limit()
    {
        // One actor stepping two games: the second game's relaunch keeps this one waiting for its first action.
        var clock = new ManualTimeProvider();
        var game = new PositionEnv { X = 100 };
        using var env = new StagnationLimit<float, int>(new WallTimeLimit<float, int>(game, game, TimeSpan.FromSeconds(5), clock), game, 10, TimeSpan.FromSeconds(4), clock);
        env.Reset(_observation);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(Step(env).Truncated);
        clock.Advance(TimeSpan.FromSeconds(3.9));
        Assert.False(Step(env).Truncated);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(Step(env).Truncated); // 4.1 s of stagnation since the first action
    }

    [Theory]
    [InlineData(1000, 790, false)] // 210 px lost: > 200 px
    [InlineData(1000, 801, true)] // 199 px, 19.9 %: walking back
    [InlineData(300, 140, false)] // 160 px but 53 % of x
    [InlineData(300, 160, true)] // 140 px, 46.7 %: no teleport
    public void TeleportDeath_is_a_drop_of_more_than_half_of_x_or_200_px_in_one_step(float from, float to, bool survives)
    {
        var game = new PositionEnv { X = 96 };
        using var env = new TeleportDeath<float, int>(game, game, penalty: -5);
        env.Reset(_observation);
        game.X = from;
        Assert.Equal(new StepResult(0, false, false), Step(env));
        game.X = to;
        var result = Step(env);
        Assert.Equal(!survives, result.Terminated);
        Assert.Equal(survives ? 0 : -5, result.Reward);
    }

    [Theory]
    [InlineData(96, 48, true)] // 50 % of x near a spawn at 96: walking left, not a teleport
    [InlineData(10, -15, true)] // past the left edge: more than all of x, still walking
    [InlineData(1000, 790, false)] // 210 px lost: the pixel rule still holds
    public void TeleportDeath_without_the_fraction_rule_counts_only_the_pixel_drop(float from, float to, bool survives)
    {
        var game = new PositionEnv { X = 96 };
        using var env = new TeleportDeath<float, int>(game, game, penalty: -5, fractionDrop: null);
        env.Reset(_observation);
        game.X = from;
        Assert.False(Step(env).Terminated);
        game.X = to;
        Assert.Equal(!survives, Step(env).Terminated);
    }

    [Fact]
    public void TeleportDeath_leaves_the_finish_alone()
    {
        var game = new PositionEnv { X = 2300 };
        using var env = new TeleportDeath<float, int>(game, game, penalty: -5);
        env.Reset(_observation);
        game.X = 96;
        game.ReachedGoal = true;
        Assert.Equal(new StepResult(0, false, false), Step(env));
    }

    [Fact]
    public void MilestoneReward_pays_each_500_px_of_new_progress_once()
    {
        var game = new PositionEnv { X = 96 };
        using var env = new MilestoneReward<float, int>(game, game, spacing: 500, bonus: 2);
        env.Reset(_observation);
        game.X = 595;
        Assert.Equal(0, Step(env).Reward);
        game.X = 596;
        Assert.Equal(2, Step(env).Reward);
        game.X = 400;
        Assert.Equal(0, Step(env).Reward);
        game.X = 700;
        Assert.Equal(0, Step(env).Reward); // the 500 px milestone again: paid already
        game.X = 1600; // past 1000 and 1500 in one step
        Assert.Equal(4, Step(env).Reward);
        Assert.Equal(3, env.Reached);
        env.Reset(_observation); // a new episode from 1600 pays anew
        game.X = 2100;
        Assert.Equal(2, Step(env).Reward);
    }

    [Fact]
    public void DeathZonePenalty_costs_more_for_dying_within_150_px_of_an_earlier_death_across_episodes()
    {
        var game = new PositionEnv { X = 96 };
        using var env = new DeathZonePenalty<float, int>(game, game, radius: 150, penalty: -3);
        env.Reset(_observation);
        game.X = 800;
        Step(env);
        game.X = 96; // teleported to the spawn on the death step: the death was at 800
        game.EndNext = true;
        Assert.Equal(0, Step(env).Reward);
        Assert.Equal([800f], env.Deaths);

        env.Reset(_observation);
        game.X = 940;
        Step(env);
        game.EndNext = true;
        Assert.Equal(-3, Step(env).Reward); // 140 px from 800

        env.Reset(_observation);
        game.X = 1200;
        Step(env);
        game.EndNext = true;
        Assert.Equal(0, Step(env).Reward); // 260 px from the nearest

        env.Reset(_observation);
        game.X = 1210;
        Step(env);
        game.ReachedGoal = true; // a finish is no death
        game.EndNext = true;
        Assert.Equal(0, Step(env).Reward);
        Assert.Equal(3, env.Deaths.Count);
    }

    [Fact]
    public void Bad_settings_are_refused_naming_the_value()
    {
        var game = new PositionEnv();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new StagnationLimit<float, int>(game, game, -1, TimeSpan.FromSeconds(4)));
        Assert.Contains("-1", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WallTimeLimit<float, int>(game, game, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TeleportDeath<float, int>(game, game, -5, fractionDrop: 1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MilestoneReward<float, int>(game, game, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeathZonePenalty<float, int>(game, game, 150, float.NaN));
    }

    private StepResult Step(Tempo.Core.Envs.IEnv<float, int> env) => env.Step([0], _observation);
}
