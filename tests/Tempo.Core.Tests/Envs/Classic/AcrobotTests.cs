using Tempo.Core.Envs.Classic;

namespace Tempo.Core.Tests.Envs.Classic;

public sealed class AcrobotTests
{
    [Fact]
    public void Spaces_EqualGymnasiums()
    {
        using var env = new Acrobot();
        SpaceAssert.Box(
            env.ObservationSpace,
            [-1f, -1f, -1f, -1f, -12.566371f, -28.274334f],
            [1f, 1f, 1f, 1f, 12.566371f, 28.274334f]);
        SpaceAssert.Discrete(env.ActionSpace, 3);
    }

    [Fact]
    public void Reset_ManySeeds_DrawsFloat32StatesFromGymnasiumsRange()
    {
        using var env = new Acrobot();
        var observation = new float[6];
        var state = new double[4];
        var min = double.MaxValue;
        var max = double.MinValue;
        for (var seed = 0; seed < 500; seed++)
        {
            env.Reset(observation, seed);
            ((IPhysicalState)env).GetState(state);
            foreach (var x in state)
            {
                Assert.InRange(x, -0.1, 0.1);
                Assert.Equal(x, (float)x); // Gymnasium stores the reset state as float32
                (min, max) = (Math.Min(min, x), Math.Max(max, x));
            }

            Assert.Equal((float)Math.Cos(state[0]), observation[0]);
            Assert.Equal((float)Math.Sin(state[1]), observation[3]);
            Assert.Equal((float)state[3], observation[5]);
        }

        Assert.True(min < -0.095 && max > 0.095, $"range [{min}, {max}]");
    }

    [Fact]
    public void Step_HangingAtRestWithoutTorque_StaysAtRest()
    {
        using var env = new Acrobot();
        var observation = new float[6];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([0, 0, 0, 0], observation);

        var result = env.Step([1], observation);

        // cos(0 − π/2) is 6e-17 rather than 0 in float64, so "at rest" holds to that precision.
        Assert.Equal(new StepResultView(-1f, false, false), StepResultView.Of(result));
        float[] rest = [1f, 0f, 1f, 0f, 0f, 0f];
        for (var i = 0; i < rest.Length; i++)
        {
            Assert.Equal(rest[i], observation[i], 1e-12f);
        }
    }

    [Fact]
    public void Step_Torque_TurnsTheSecondJointTheOtherWayFromTheFirst()
    {
        // Positive torque at the elbow accelerates θ₂ forwards and, by reaction, θ₁ backwards.
        using var env = new Acrobot();
        var observation = new float[6];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([0, 0, 0, 0], observation);

        env.Step([2], observation);

        Assert.True(observation[5] > 0, $"θ̇₂ = {observation[5]}");
        Assert.True(observation[4] < 0, $"θ̇₁ = {observation[4]}");
    }

    [Fact]
    public void Step_TipAboveTheLine_TerminatesWithRewardZero_ThenRefusesSteps()
    {
        using var env = new Acrobot();
        var observation = new float[6];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState([Math.PI - 0.01, 0, 0, 0], observation);

        var result = env.Step([1], observation);

        Assert.Equal(new StepResultView(0f, true, false), StepResultView.Of(result));
        Assert.Throws<InvalidOperationException>(() => env.Step([1], observation));
    }

    [Fact]
    public void Step_LongRandomRun_KeepsAnglesWrappedAndVelocitiesBounded()
    {
        using var env = new Acrobot();
        var observation = new float[6];
        var state = new double[4];
        var random = new Random(3);
        env.Reset(observation, 3);
        ((IPhysicalState)env).SetState([3.0, -3.0, 12.0, -28.0], observation);
        for (var t = 0; t < 2000; t++)
        {
            if (env.Step([random.Next(3)], observation).IsDone)
            {
                env.Reset(observation);
                ((IPhysicalState)env).SetState([0.5, 3.1, 12.5, 28.2], observation);
            }

            ((IPhysicalState)env).GetState(state);
            Assert.InRange(state[0], -Math.PI, Math.PI);
            Assert.InRange(state[1], -Math.PI, Math.PI);
            Assert.InRange(state[2], -4 * Math.PI, 4 * Math.PI);
            Assert.InRange(state[3], -9 * Math.PI, 9 * Math.PI);
        }
    }

    [Fact]
    public void Options_TorqueNoise_IsSeededAndChangesTheTrajectory()
    {
        var quiet = Run(new AcrobotOptions(), seed: 4);
        var noisy = Run(new AcrobotOptions { TorqueNoiseMax = 0.5 }, seed: 4);
        var noisyAgain = Run(new AcrobotOptions { TorqueNoiseMax = 0.5 }, seed: 4);

        Assert.NotEqual(quiet, noisy);
        Assert.Equal(noisy, noisyAgain);
    }

    [Fact]
    public void Options_NipsDynamics_DifferFromTheBookWhenTheFirstJointMoves()
    {
        double[] start = [0.3, 0.4, 2.0, -1.0];
        Assert.NotEqual(StepFrom(new AcrobotOptions(), start), StepFrom(new AcrobotOptions { Dynamics = AcrobotDynamics.Nips }, start));

        // The term the NIPS equations drop is proportional to θ̇₁², so at θ̇₁ = 0 both agree.
        double[] still = [0.3, 0.4, 0.0, 0.0];
        var book = StepFrom(new AcrobotOptions { TimeStep = 1e-9 }, still);
        var nips = StepFrom(new AcrobotOptions { TimeStep = 1e-9, Dynamics = AcrobotDynamics.Nips }, still);
        Assert.Equal(book, nips);
    }

    public static TheoryData<AcrobotOptions, string> InvalidOptions => new()
    {
        { new AcrobotOptions { TimeStep = 0 }, nameof(AcrobotOptions.TimeStep) },
        { new AcrobotOptions { LinkLength1 = -1 }, nameof(AcrobotOptions.LinkLength1) },
        { new AcrobotOptions { LinkMass2 = 0 }, nameof(AcrobotOptions.LinkMass2) },
        { new AcrobotOptions { LinkCenterOfMass1 = double.NaN }, nameof(AcrobotOptions.LinkCenterOfMass1) },
        { new AcrobotOptions { LinkMomentOfInertia = 0 }, nameof(AcrobotOptions.LinkMomentOfInertia) },
        { new AcrobotOptions { MaxVelocity2 = double.PositiveInfinity }, nameof(AcrobotOptions.MaxVelocity2) },
        { new AcrobotOptions { TorqueNoiseMax = -0.1 }, nameof(AcrobotOptions.TorqueNoiseMax) },
        { new AcrobotOptions { Dynamics = (AcrobotDynamics)2 }, nameof(AcrobotOptions.Dynamics) },
        { new AcrobotOptions { ResetLow = 1, ResetHigh = 0 }, nameof(AcrobotOptions.ResetLow) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption(AcrobotOptions options, string option)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new Acrobot(options));
        Assert.Equal(option, error.ParamName);
    }

    private static List<float> Run(AcrobotOptions options, int seed)
    {
        using var env = new Acrobot(options);
        var observation = new float[6];
        env.Reset(observation, seed);
        var trace = new List<float>();
        for (var t = 0; t < 50; t++)
        {
            env.Step([t % 3], observation);
            trace.AddRange(observation);
        }

        return trace;
    }

    private static float[] StepFrom(AcrobotOptions options, double[] state)
    {
        using var env = new Acrobot(options);
        var observation = new float[6];
        env.Reset(observation, 0);
        ((IPhysicalState)env).SetState(state, observation);
        env.Step([2], observation);
        return observation;
    }
}
