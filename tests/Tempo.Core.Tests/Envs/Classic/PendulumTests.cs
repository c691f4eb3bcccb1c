using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Registry;

namespace Tempo.Core.Tests.Envs.Classic;

public sealed class PendulumTests
{
    [Fact]
    public void Spaces_EqualGymnasiums()
    {
        using var env = new Pendulum();
        SpaceAssert.Box(env.ObservationSpace, [-1f, -1f, -8f], [1f, 1f, 8f]);
        SpaceAssert.Box(env.ActionSpace, [-2f], [2f]);
    }

    [Fact]
    public void Reset_ManySeeds_DrawsAngleAndVelocityFromGymnasiumsRanges()
    {
        using var env = new Pendulum();
        var observation = new float[3];
        var state = new double[2];
        var (minAngle, maxAngle, minVelocity, maxVelocity) = (double.MaxValue, double.MinValue, double.MaxValue, double.MinValue);
        for (var seed = 0; seed < 500; seed++)
        {
            env.Reset(observation, seed);
            ((IPhysicalState)env).GetState(state);
            Assert.InRange(state[0], -Math.PI, Math.PI);
            Assert.InRange(state[1], -1.0, 1.0);
            Assert.Equal([(float)Math.Cos(state[0]), (float)Math.Sin(state[0]), (float)state[1]], observation);
            (minAngle, maxAngle) = (Math.Min(minAngle, state[0]), Math.Max(maxAngle, state[0]));
            (minVelocity, maxVelocity) = (Math.Min(minVelocity, state[1]), Math.Max(maxVelocity, state[1]));
        }

        Assert.True(minAngle < -3.0 && maxAngle > 3.0, $"angles [{minAngle}, {maxAngle}]");
        Assert.True(minVelocity < -0.95 && maxVelocity > 0.95, $"velocities [{minVelocity}, {maxVelocity}]");
    }

    [Fact]
    public void Step_UprightAtRestWithUnitTorque_MatchesHandComputedUpdate()
    {
        // θ̇' = θ̇ + (3g/2l·sin θ + 3/(ml²)·u)·dt = 3 · 0.05; θ' = θ̇'·dt; cost = 0.001·u².
        var (state, reward) = StepFrom([0, 0], 1f);

        Assert.Equal(0.15, state[1], 1e-15);
        Assert.Equal(0.0075, state[0], 1e-15);
        Assert.Equal(-0.001f, reward);
    }

    [Fact]
    public void Step_OutOfRangeTorque_IsClippedForDynamicsAndCost()
    {
        var (clippedState, clippedReward) = StepFrom([0.5, 0.2], 2f);
        var (state, reward) = StepFrom([0.5, 0.2], 50f);

        Assert.Equal(clippedState, state);
        Assert.Equal(clippedReward, reward);
    }

    [Fact]
    public void Step_FastSpin_ClipsTheAngularVelocity()
    {
        var (state, _) = StepFrom([Math.PI / 2, 7.9], 2f);

        Assert.Equal(8.0, state[1]);
    }

    [Fact]
    public void Step_AngleBeyondOneTurn_CostsAsTheNormalizedAngle()
    {
        var (_, aroundOnce) = StepFrom([(2 * Math.PI) + 0.3, 0], 0f);
        var (_, direct) = StepFrom([0.3, 0], 0f);

        Assert.Equal(direct, aroundOnce, 1e-6f);
        Assert.Equal(-0.09f, direct, 1e-7f);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1.5 * Math.PI, -0.5 * Math.PI)]
    [InlineData(-1.5 * Math.PI, 0.5 * Math.PI)]
    [InlineData(Math.PI, -Math.PI)]
    [InlineData(-Math.PI, -Math.PI)]
    [InlineData(7.0, 7.0 - (2 * Math.PI))]
    [InlineData(-7.0, -7.0 + (2 * Math.PI))]
    public void NormalizeAngle_UsesFlooredModulo(double angle, double expected) =>
        Assert.Equal(expected, Pendulum.NormalizeAngle(angle), 1e-12);

    [Fact]
    public void Step_NeverTerminates_TheRegistryTruncatesAt200()
    {
        using var env = EnvRegistry.CreateDefault().Make<float, float>("Pendulum-v1");
        var observation = new float[3];
        env.Reset(observation, 0);
        for (var t = 1; t < 200; t++)
        {
            var result = env.Step([0.5f], observation);
            Assert.False(result.Terminated || result.Truncated, $"step {t}");
        }

        var last = env.Step([0.5f], observation);
        Assert.False(last.Terminated);
        Assert.True(last.Truncated);
    }

    [Fact]
    public void Options_ZeroGravity_KeepsTheAngularVelocityWithoutTorque()
    {
        using var env = new Pendulum(new PendulumOptions { Gravity = 0 });
        var observation = new float[3];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([1.0, 0.5], observation);

        env.Step([0f], observation);

        Assert.Equal(0.5f, observation[2]);
    }

    [Fact]
    public void Options_InitialBounds_LimitTheResetDraw()
    {
        using var env = new Pendulum(new PendulumOptions { InitialAngleBound = 0.1, InitialAngularVelocityBound = 0 });
        var observation = new float[3];
        var state = new double[2];
        for (var seed = 0; seed < 100; seed++)
        {
            env.Reset(observation, seed);
            ((IPhysicalState)env).GetState(state);
            Assert.InRange(state[0], -0.1, 0.1);
            Assert.Equal(0.0, state[1]);
        }
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption()
    {
        Assert.Equal("Gravity", Assert.ThrowsAny<ArgumentException>(() => new Pendulum(new PendulumOptions { Gravity = double.NaN })).ParamName);
        Assert.Equal(
            "InitialAngleBound",
            Assert.ThrowsAny<ArgumentException>(() => new Pendulum(new PendulumOptions { InitialAngleBound = -1 })).ParamName);
    }

    private static (double[] State, float Reward) StepFrom(double[] state, float torque)
    {
        using var env = new Pendulum();
        var observation = new float[3];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState(state, observation);
        var result = env.Step([torque], observation);
        var next = new double[2];
        ((IPhysicalState)env).GetState(next);
        return (next, result.Reward);
    }
}
