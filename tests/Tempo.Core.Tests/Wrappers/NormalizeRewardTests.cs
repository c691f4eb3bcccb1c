using Tempo.Core.Statistics;
using Tempo.Core.Tests.Statistics;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class NormalizeRewardTests
{
    private readonly float[] _observation = new float[1];

    [Fact]
    public void Step_MatchesHandComputedSequence()
    {
        // γ = 0.5. Episode 1: rewards 1, 2, 3 (terminated); episode 2: 4, 1 (truncated); episode 3: 2.
        // G = G·γ·(1 − terminated) + r:
        //   1;  0.5 + 2 = 2.5;  terminated: 0 + 3 = 3;  1.5 + 4 = 5.5;  2.75 + 1 = 3.75 (truncation keeps G);  1.875 + 2 = 3.875.
        var rewards = new[] { 1f, 2f, 3f, 4f, 1f, 2f };
        var returns = new[] { 1.0, 2.5, 3.0, 5.5, 3.75, 3.875 };
        using var env = new NormalizeReward<float, int>(
            new ScriptedEnv(
                ScriptedEnv.Reward(1f),
                ScriptedEnv.Reward(2f),
                ScriptedEnv.Terminal(3f),
                ScriptedEnv.Reward(4f),
                ScriptedEnv.Truncation(1f),
                ScriptedEnv.Reward(2f)),
            gamma: 0.5);

        env.Reset(_observation);
        for (var t = 0; t < rewards.Length; t++)
        {
            var result = env.Step([0], _observation);
            if (result.IsDone)
            {
                env.Reset(_observation);
            }

            var (_, variance, _) = PooledMoments.Of(returns[..(t + 1)]);
            Assert.Equal(returns[t], env.DiscountedReturn, 1e-12);
            Assert.Equal((float)(rewards[t] / Math.Sqrt(variance + 1e-8)), result.Reward, 1e-6f);
        }
    }

    [Fact]
    public void Step_FirstReward_MatchesHandComputedValue()
    {
        // G = 2 merged into (0, 1, 1e-4): var = (1e-4 + 4 · 1e-4 / 1.0001) / 1.0001 ≈ 4.9993e-4; reward 2 / sqrt(var + 1e-8).
        using var env = new NormalizeReward<float, int>(new ScriptedEnv(ScriptedEnv.Terminal(2f)));
        env.Reset(_observation);

        var result = env.Step([0], _observation);

        var variance = (1e-4 + (4 * 1e-4 / 1.0001)) / 1.0001;
        Assert.Equal((float)(2 / Math.Sqrt(variance + 1e-8)), result.Reward, 1e-4f);
        Assert.Equal(89.45f, result.Reward, 0.01f);
        Assert.True(result.Terminated);
    }

    [Fact]
    public void Step_UpdateStatisticsOff_AccumulatesReturnButFreezesStatistics()
    {
        using var env = new NormalizeReward<float, int>(
            new ScriptedEnv(ScriptedEnv.Reward(1f), ScriptedEnv.Reward(3f), ScriptedEnv.Terminal(1f)), gamma: 0.5);
        env.Reset(_observation);
        env.Step([0], _observation);
        var frozen = env.Statistics.GetState();

        env.UpdateStatistics = false;
        var result = env.Step([0], _observation);

        Assert.Equal(frozen, env.Statistics.GetState());
        Assert.Equal(3.5, env.DiscountedReturn, 1e-12);
        Assert.Equal((float)(3 / Math.Sqrt(frozen.Variance[0] + 1e-8)), result.Reward, 1e-5f);
    }

    [Fact]
    public void SetState_RestoredWrapper_ContinuesIdentically()
    {
        var script = new[] { ScriptedEnv.Reward(1f), ScriptedEnv.Reward(-2f), ScriptedEnv.Reward(0.5f), ScriptedEnv.Terminal(3f) };
        using var source = new NormalizeReward<float, int>(new ScriptedEnv(script), gamma: 0.9);
        source.Reset(_observation);
        source.Step([0], _observation);
        source.Step([0], _observation);
        var state = source.GetState();

        using var restored = new NormalizeReward<float, int>(new ScriptedEnv(script[2..]), gamma: 0.9);
        restored.SetState(state);
        restored.Reset(_observation);

        Assert.Equal(state, restored.GetState());
        Assert.Equal(source.Step([0], _observation).Reward, restored.Step([0], _observation).Reward);
        Assert.Equal(source.GetState(), restored.GetState());
    }

    [Fact]
    public void SetState_WrongDimension_Throws()
    {
        using var env = new NormalizeReward<float, int>(new ScriptedEnv(ScriptedEnv.Terminal(1f)));
        var state = new NormalizeRewardState(new RunningMeanStd(2).GetState(), 0.0);

        Assert.Throws<ArgumentException>(() => env.SetState(state));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Constructor_GammaOutsideUnitInterval_Throws(double gamma)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NormalizeReward<float, int>(new ScriptedEnv(), gamma));

        Assert.Equal("gamma", error.ParamName);
    }
}
