using Tempo.Core.Envs.Classic;

namespace Tempo.Core.Tests.Envs.Classic;

public sealed class MountainCarContinuousTests
{
    [Fact]
    public void Spaces_EqualGymnasiums()
    {
        using var env = new MountainCarContinuous();
        SpaceAssert.Box(env.ObservationSpace, [-1.2f, -0.07f], [0.6f, 0.07f]);
        SpaceAssert.Box(env.ActionSpace, [-1f], [1f]);
    }

    [Fact]
    public void Step_OutOfRangeAction_ClipsTheForceButNotTheRewardsActionCost()
    {
        var (inRange, inRangeReward) = StepFrom([-0.5, 0.01], 1f);
        var (outOfRange, outOfRangeReward) = StepFrom([-0.5, 0.01], 3f);

        Assert.Equal(inRange, outOfRange);
        Assert.Equal(-0.1f, inRangeReward, 1e-7f);
        Assert.Equal(-0.9f, outOfRangeReward, 1e-6f);
    }

    [Fact]
    public void Step_PushRight_MatchesHandComputedUpdateStoredAsFloat32()
    {
        // v' = v + a·0.0015 − 0.0025·cos(3x); Gymnasium keeps the new state as float32.
        var (observation, reward) = StepFrom([-0.5, 0.0], 0.5f);
        var velocity = (0.5 * 0.0015) - (0.0025 * Math.Cos(-1.5));

        Assert.Equal([(float)(-0.5 + velocity), (float)velocity], observation);
        Assert.Equal((float)(-0.5 * 0.5 * 0.1), reward);
    }

    [Fact]
    public void Step_ReachingTheFlag_EarnsOneHundredMinusTheActionCost()
    {
        using var env = new MountainCarContinuous();
        var observation = new float[2];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([0.44, 0.05], observation);

        var result = env.Step([0.5f], observation);

        Assert.True(result.Terminated);
        Assert.Equal((float)(100 - (0.25 * 0.1)), result.Reward);
        Assert.Throws<InvalidOperationException>(() => env.Step([0f], observation));
    }

    [Fact]
    public void Step_InfiniteAction_IsClipped()
    {
        var (clipped, _) = StepFrom([-0.5, 0.0], -1f);
        var (infinite, reward) = StepFrom([-0.5, 0.0], float.NegativeInfinity);

        Assert.Equal(clipped, infinite);
        Assert.Equal(float.NegativeInfinity, reward);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new MountainCarContinuous(new MountainCarContinuousOptions { ResetHigh = double.NaN }));
        Assert.Equal("ResetHigh", error.ParamName);
    }

    private static (float[] Observation, float Reward) StepFrom(double[] state, float action)
    {
        using var env = new MountainCarContinuous();
        var observation = new float[2];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState(state, observation);
        var result = env.Step([action], observation);
        return (observation, result.Reward);
    }
}
