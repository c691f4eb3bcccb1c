using Tempo.Core.Envs;
using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Registry;

namespace Tempo.Core.Tests.Envs.Classic;

public sealed class MountainCarTests
{
    [Fact]
    public void Spaces_EqualGymnasiums()
    {
        using var env = new MountainCar();
        SpaceAssert.Box(env.ObservationSpace, [-1.2f, -0.07f], [0.6f, 0.07f]);
        SpaceAssert.Discrete(env.ActionSpace, 3);
    }

    [Fact]
    public void Reset_ManySeeds_DrawsPositionFromGymnasiumsRangeAtRest()
    {
        using var env = new MountainCar();
        var observation = new float[2];
        var state = new double[2];
        var (min, max) = (double.MaxValue, double.MinValue);
        for (var seed = 0; seed < 500; seed++)
        {
            env.Reset(observation, seed);
            ((IPhysicalState)env).GetState(state);
            Assert.InRange(state[0], -0.6, -0.4);
            Assert.Equal(0.0, state[1]);
            (min, max) = (Math.Min(min, state[0]), Math.Max(max, state[0]));
        }

        Assert.True(min < -0.59 && max > -0.41, $"range [{min}, {max}]");
    }

    [Fact]
    public void Step_PushRight_MatchesHandComputedUpdate()
    {
        // v' = v + (a − 1)·0.001 − 0.0025·cos(3x); x' = x + v'.
        using var env = new MountainCar();
        var observation = new float[2];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([-0.5, 0], observation);

        var result = env.Step([2], observation);

        var velocity = 0.001 - (0.0025 * Math.Cos(-1.5));
        Assert.Equal(new StepResultView(-1f, false, false), StepResultView.Of(result));
        Assert.Equal((float)(-0.5 + velocity), observation[0]);
        Assert.Equal((float)velocity, observation[1]);
    }

    [Fact]
    public void Step_IntoTheLeftWall_StopsTheCar()
    {
        using var env = new MountainCar();
        var observation = new float[2];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([-1.19, -0.05], observation);

        env.Step([0], observation);

        Assert.Equal([-1.2f, 0f], observation);
    }

    [Fact]
    public void Step_AtTopSpeed_ClipsTheVelocity()
    {
        using var env = new MountainCar();
        var observation = new float[2];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([-0.5, 0.07], observation);

        env.Step([2], observation);

        Assert.Equal(0.07f, observation[1]);
    }

    [Fact]
    public void Step_ReachingTheFlag_TerminatesWithRewardMinusOne()
    {
        using var env = EnvRegistry.CreateDefault().Make<float, int>("MountainCar-v0");
        var observation = new float[2];
        env.Reset(observation, 0);
        ((IPhysicalState)env.Unwrapped()).SetState([0.49, 0.03], observation);

        var result = env.Step([2], observation);

        Assert.Equal(new StepResultView(-1f, true, false), StepResultView.Of(result));
        Assert.Throws<InvalidOperationException>(() => env.Step([2], observation));
    }

    [Fact]
    public void Options_GoalVelocity_MustAlsoBeReached()
    {
        using var env = new MountainCar(new MountainCarOptions { GoalVelocity = 0.05 });
        var observation = new float[2];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([0.49, 0.03], observation);

        Assert.False(env.Step([2], observation).Terminated);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption()
    {
        Assert.Equal("GoalVelocity", Assert.ThrowsAny<ArgumentException>(() => new MountainCar(new MountainCarOptions { GoalVelocity = double.NaN })).ParamName);
        Assert.Equal("ResetLow", Assert.ThrowsAny<ArgumentException>(() => new MountainCar(new MountainCarOptions { ResetLow = -0.3 })).ParamName);
        Assert.Throws<ArgumentNullException>(() => new MountainCar(null!));
    }
}
