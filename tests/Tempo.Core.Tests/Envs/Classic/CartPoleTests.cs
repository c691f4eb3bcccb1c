using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Registry;

namespace Tempo.Core.Tests.Envs.Classic;

public sealed class CartPoleTests
{
    [Fact]
    public void Spaces_EqualGymnasiums()
    {
        using var env = new CartPole();
        const float thetaHigh = 0.41887903f; // 2 · 12° in radians, as Gymnasium prints it
        SpaceAssert.Box(env.ObservationSpace, [-4.8f, -float.MaxValue, -thetaHigh, -float.MaxValue], [4.8f, float.MaxValue, thetaHigh, float.MaxValue]);
        SpaceAssert.Discrete(env.ActionSpace, 2);
    }

    [Fact]
    public void Reset_ManySeeds_DrawsEveryVariableUniformlyFromGymnasiumsRange()
    {
        using var env = new CartPole();
        var observation = new float[4];
        var state = new double[4];
        var min = Enumerable.Repeat(double.MaxValue, 4).ToArray();
        var max = Enumerable.Repeat(double.MinValue, 4).ToArray();
        for (var seed = 0; seed < 500; seed++)
        {
            env.Reset(observation, seed);
            ((IPhysicalState)env).GetState(state);
            for (var i = 0; i < 4; i++)
            {
                Assert.InRange(state[i], -0.05, 0.05);
                Assert.Equal((float)state[i], observation[i]);
                (min[i], max[i]) = (Math.Min(min[i], state[i]), Math.Max(max[i], state[i]));
            }
        }

        Assert.All(min, x => Assert.True(x < -0.045, $"minimum {x}"));
        Assert.All(max, x => Assert.True(x > 0.045, $"maximum {x}"));
    }

    [Fact]
    public void Step_FromRestPushingRight_MatchesHandComputedEulerStep()
    {
        // At rest, sin θ = 0 and cos θ = 1: temp = F/(M+m) = 10/1.1, θ̈ = −temp / (l(4/3 − m/(M+m))) = −600/41,
        // ẍ = temp − m·l·θ̈/(M+m) = 400/41. Explicit Euler moves positions with the old (zero) velocities.
        using var env = new CartPole();
        var observation = new float[4];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([0, 0, 0, 0], observation);

        var result = env.Step([1], observation);

        Assert.Equal(new StepResultView(1f, false, false), StepResultView.Of(result));
        var state = new double[4];
        ((IPhysicalState)env).GetState(state);
        Assert.Equal(0, state[0]);
        Assert.Equal(0.02 * 400 / 41, state[1], 1e-12);
        Assert.Equal(0, state[2]);
        Assert.Equal(0.02 * -600 / 41, state[3], 1e-12);
    }

    [Fact]
    public void Step_SemiImplicitIntegrator_MovesPositionsWithNewVelocities()
    {
        using var env = new CartPole(new CartPoleOptions { Integrator = CartPoleIntegrator.SemiImplicitEuler });
        var observation = new float[4];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([0, 0, 0, 0], observation);

        env.Step([1], observation);

        var state = new double[4];
        ((IPhysicalState)env).GetState(state);
        Assert.Equal(0.02 * 0.02 * 400 / 41, state[0], 1e-12);
        Assert.Equal(0.02 * 0.02 * -600 / 41, state[2], 1e-12);
    }

    [Theory]
    [InlineData(2.39, 1.0, 0.0)]
    [InlineData(-2.39, -1.0, 0.0)]
    [InlineData(0.0, 0.0, 0.209)]
    [InlineData(0.0, 0.0, -0.209)]
    public void Step_LeavingTheThresholds_TerminatesWithRewardOne(double x, double xDot, double theta)
    {
        using var env = new CartPole();
        var observation = new float[4];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([x, xDot, theta, 2 * Math.Sign(theta)], observation);

        var result = env.Step([x < 0 ? 0 : 1], observation);

        Assert.True(result.Terminated);
        Assert.False(result.Truncated);
        Assert.Equal(1f, result.Reward);
    }

    [Fact]
    public void Step_AfterTermination_ThrowsUntilReset()
    {
        using var env = EnvRegistry.CreateDefault().Make<float, int>("CartPole-v1");
        var observation = new float[4];
        env.Reset(observation, 3);
        var steps = 0;
        while (!env.Step([1], observation).Terminated)
        {
            steps++;
        }

        var error = Assert.Throws<InvalidOperationException>(() => env.Step([1], observation));
        Assert.Contains("terminated=True", error.Message);
        Assert.Contains("Reset", error.Message);
        Assert.InRange(steps, 1, 100);

        env.Reset(observation);
        env.Step([0], observation);
    }

    [Fact]
    public void Options_CustomThresholds_ChangeSpaceAndTermination()
    {
        using var env = new CartPole(new CartPoleOptions { XThreshold = 1.0, ThetaThresholdRadians = 0.5 });
        SpaceAssert.Box(env.ObservationSpace, [-2f, -float.MaxValue, -1f, -float.MaxValue], [2f, float.MaxValue, 1f, float.MaxValue]);
        var observation = new float[4];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([0.99, 1, 0.3, 0], observation);

        Assert.True(env.Step([1], observation).Terminated);
    }

    public static TheoryData<CartPoleOptions, string> InvalidOptions => new()
    {
        { new CartPoleOptions { PoleMass = 0 }, nameof(CartPoleOptions.PoleMass) },
        { new CartPoleOptions { CartMass = -1 }, nameof(CartPoleOptions.CartMass) },
        { new CartPoleOptions { PoleHalfLength = double.NaN }, nameof(CartPoleOptions.PoleHalfLength) },
        { new CartPoleOptions { Gravity = double.PositiveInfinity }, nameof(CartPoleOptions.Gravity) },
        { new CartPoleOptions { ForceMagnitude = -10 }, nameof(CartPoleOptions.ForceMagnitude) },
        { new CartPoleOptions { TimeStep = 0 }, nameof(CartPoleOptions.TimeStep) },
        { new CartPoleOptions { Integrator = (CartPoleIntegrator)7 }, nameof(CartPoleOptions.Integrator) },
        { new CartPoleOptions { ThetaThresholdRadians = 0 }, nameof(CartPoleOptions.ThetaThresholdRadians) },
        { new CartPoleOptions { XThreshold = -2.4 }, nameof(CartPoleOptions.XThreshold) },
        { new CartPoleOptions { ResetLow = 0.1, ResetHigh = 0.05 }, nameof(CartPoleOptions.ResetLow) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption(CartPoleOptions options, string option)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new CartPole(options));
        Assert.Equal(option, error.ParamName);
        Assert.Contains(option, error.Message);
    }
}
