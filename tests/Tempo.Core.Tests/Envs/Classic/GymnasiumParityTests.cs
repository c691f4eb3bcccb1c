using Tempo.Core.Envs;
using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Registry;
using Tempo.Tests.Shared;

namespace Tempo.Core.Tests.Envs.Classic;

/// <summary>Replays every case of every Gymnasium fixture through envs made by the default registry.</summary>
/// <remarks>
/// Two checks per case. The transition check restarts every step from Gymnasium's recorded float64 state, so it
/// tests each step to a few float32 ulps without any accumulation. The replay check runs the whole episode freely
/// from the initial state, with the registry's time limit, as a user would.
/// <para>
/// Acrobot and Pendulum call NumPy's <c>np.sin</c>/<c>np.cos</c>; the NumPy 1.24 that wrote the fixtures used
/// AVX-512 SVML kernels, which differ from the C library's (what Gymnasium gets on other CPUs, and what .NET calls)
/// by 1–2 float64 ulps in about one call in five. Acrobot's dynamics are chaotic, so over a few hundred free-running
/// steps these differences grow to ~5e-5 in its observations. The replay therefore allows, on top of the ulp
/// tolerance, the drift <see cref="TrajectoryDrift"/> derives for each step from the transition check's per-step
/// tolerance carried through the dynamics' Jacobians (for every env alike: it stays near 1e-15 where nothing amplifies
/// the last bits); transitions get no drift.
/// </para>
/// </remarks>
public sealed class GymnasiumParityTests
{
    /// <summary>Observations may differ from Gymnasium's float32 values by this many float32 ulps.</summary>
    private const int ObservationUlps = 4;

    /// <summary>Rewards (float64 in Gymnasium, float32 here) may differ by this many float32 ulps.</summary>
    private const int RewardUlps = 2;

    /// <summary>
    /// How much a reward may move per unit of state drift (∞-norm): Pendulum's −(θ² + 0.1·θ̇² + 0.001·u²) has
    /// |∂/∂θ| ≤ 2π and |∂/∂θ̇| ≤ 1.6 (θ normalized to [−π, π], |θ̇| ≤ 8), together below 8; the other envs' rewards are
    /// constants or read only the action and the termination branch.
    /// </summary>
    private const double RewardPerStateDrift = 8;

    /// <summary>Float64 states after one transition may differ by this many float64 ulps (see <see cref="StepTolerance"/>).</summary>
    private const int StateUlps = 8;

    private static string[] ExpectedFiles =>
        ["CartPole-v1.json", "Acrobot-v1.json", "MountainCar-v0.json", "MountainCarContinuous-v0.json", "Pendulum-v1.json"];

    /// <summary>(file, case index) for every case of every JSON file in the fixture folder, so added cases are picked up.</summary>
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var path in Directory.GetFiles(FixturePaths.Gymnasium, "*.json").Order(StringComparer.Ordinal))
        {
            var fixture = GymnasiumFixture.Load(path);
            for (var i = 0; i < fixture.Cases.Count; i++)
            {
                data.Add(Path.GetFileName(path), i);
            }
        }

        return data;
    }

    [Fact]
    public void FixtureFolder_HoldsEveryClassicEnv_WithCases()
    {
        foreach (var file in ExpectedFiles)
        {
            var fixture = GymnasiumFixture.Load(FixturePaths.Require(FixturePaths.Gymnasium, file));
            Assert.Equal(Path.GetFileNameWithoutExtension(file), fixture.EnvId);
            Assert.NotEmpty(fixture.Cases);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_FromEachRecordedState_MatchesGymnasiumTransition(string fileName, int caseIndex) =>
        Run(fileName, caseIndex, restartFromRecordedStates: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Replay_FromInitialState_MatchesGymnasiumTrajectory(string fileName, int caseIndex) =>
        Run(fileName, caseIndex, restartFromRecordedStates: false);

    private static void Run(string fileName, int caseIndex, bool restartFromRecordedStates)
    {
        var fixture = GymnasiumFixture.Load(FixturePaths.Require(FixturePaths.Gymnasium, fileName));
        var testCase = fixture.Cases[caseIndex];
        var registry = EnvRegistry.CreateDefault();
        var spec = registry.GetSpec(fixture.EnvId);
        Assert.Equal(fixture.MaxEpisodeSteps, spec.MaxEpisodeSteps);
        if (spec.ActionElementType == typeof(int))
        {
            Replay(() => registry.Make<float, int>(fixture.EnvId), testCase, action => (int)action[0], restartFromRecordedStates);
        }
        else
        {
            Replay(() => registry.Make<float, float>(fixture.EnvId), testCase, action => (float)action[0], restartFromRecordedStates);
        }
    }

    /// <summary>
    /// How far one step from Gymnasium's float64 state may land from Gymnasium's next state x: <see cref="StateUlps"/>
    /// float64 ulps of max(|x|, 1) (NumPy's SVML sin/cos); the scale floor is there because a small state variable is a
    /// sum of order-one terms and inherits their rounding.
    /// </summary>
    private static double StepTolerance(double x)
    {
        var scale = Math.Max(Math.Abs(x), 1.0);
        return StateUlps * (Math.BitIncrement(scale) - scale);
    }

    private static void Replay<TAction>(Func<IEnv<float, TAction>> makeEnv, GymnasiumCase testCase, Func<double[], TAction> toAction, bool restartFromRecordedStates)
        where TAction : unmanaged
    {
        // Every classic-control observation element is a state variable or the cosine or sine of one, so it moves by at
        // most the largest state variable's drift (all 1-Lipschitz); transitions start from Gymnasium's state and get none.
        double[] drift;
        if (restartFromRecordedStates)
        {
            drift = new double[testCase.Steps.Count];
        }
        else
        {
            using var probe = makeEnv();
            drift = [.. TrajectoryDrift.StateBounds(probe, testCase, toAction, StepTolerance).Select(bound => bound.Max())];
        }

        var env = makeEnv();

        using var _ = env;
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: testCase.Seed);
        var physics = Assert.IsAssignableFrom<IPhysicalState>(env.Unwrapped());
        Assert.Equal(testCase.InitialState.Length, physics.StateLength);
        physics.SetState(testCase.InitialState, observation);
        if (testCase.InitialObservation.Length == observation.Length)
        {
            AssertObservation(testCase.InitialObservation, observation, drift: 0, "initial observation");
        }
        else
        {
            // The Acrobot cases that start from a hand-set state record that state (as float32) instead of the observation.
            Assert.Equal(testCase.InitialState.Select(x => (double)(float)x), testCase.InitialObservation);
        }

        Assert.Equal(testCase.Steps.Count, testCase.Actions.Length);
        var state = new double[physics.StateLength];
        for (var t = 0; t < testCase.Steps.Count; t++)
        {
            if (restartFromRecordedStates && t > 0)
            {
                physics.SetState(testCase.Steps[t - 1].State, observation);
            }

            var expected = testCase.Steps[t];
            var result = env.Step([toAction(testCase.Actions[t])], observation);
            var where = $"step {t}";
            AssertObservation(expected.Observation, observation, drift[t], where);
            AssertClose((float)expected.Reward, result.Reward, (RewardUlps * Ulp((float)expected.Reward)) + (RewardPerStateDrift * drift[t]), $"{where}, reward");
            Assert.True(expected.Terminated == result.Terminated, $"{where}: terminated {result.Terminated}, Gymnasium {expected.Terminated}");
            Assert.True(expected.Truncated == result.Truncated, $"{where}: truncated {result.Truncated}, Gymnasium {expected.Truncated}");
            if (restartFromRecordedStates)
            {
                physics.GetState(state);
                for (var i = 0; i < state.Length; i++)
                {
                    var reference = expected.State[i];
                    Assert.True(Math.Abs(state[i] - reference) <= StepTolerance(reference), $"{where}, state {i}: {state[i]:R}, Gymnasium {reference:R}");
                }
            }
        }

        Assert.True(testCase.Steps[^1].Terminated || testCase.Steps[^1].Truncated, "a fixture case ends with its episode");
    }

    private static void AssertObservation(double[] expected, float[] actual, double drift, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var reference = (float)expected[i];
            AssertClose(reference, actual[i], (ObservationUlps * Ulp(reference)) + drift, $"{where}, element {i}");
        }
    }

    private static void AssertClose(float expected, float actual, double tolerance, string what) =>
        Assert.True(
            Math.Abs((double)actual - expected) <= tolerance,
            $"{what}: {actual:R}, Gymnasium {expected:R} ({(actual - expected) / Ulp(expected):F1} float32 ulps)");

    /// <summary>The spacing of float32 values at <paramref name="x"/>.</summary>
    private static float Ulp(float x) => Math.Max(float.Epsilon, MathF.BitIncrement(MathF.Abs(x)) - MathF.Abs(x));
}
