using Tempo.Core.Envs;
using Tempo.Core.Spaces;
using Tempo.Tests.Shared;

namespace Tempo.Core.Tests.Envs.Classic;

/// <summary>What every classic-control env made by the registry must do, after Gymnasium's <c>check_env</c>.</summary>
public sealed class ClassicControlContractTests
{
    public static TheoryData<string> Ids => EnvDriver.Ids;

    [Theory]
    [MemberData(nameof(Ids))]
    public void Reset_SameSeed_GivesIdenticalTrajectory(string id)
    {
        var first = Trajectory(id, seed: 123, steps: 300);
        var second = Trajectory(id, seed: 123, steps: 300);
        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Reset_DifferentSeeds_GiveDifferentInitialStates(string id)
    {
        using var env = EnvDriver.Make(id);
        var states = new HashSet<string>();
        for (var seed = 0; seed < 20; seed++)
        {
            env.Reset(seed);
            states.Add(string.Join(",", env.State()));
        }

        Assert.Equal(20, states.Count);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Reset_WithoutSeed_ContinuesTheSeededStream(string id)
    {
        using var env = EnvDriver.Make(id);
        env.Reset(7);
        var first = env.State();
        env.Reset();
        var second = env.State();
        env.Reset(7);

        Assert.NotEqual(first, second);
        Assert.Equal(first, env.State());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ObservationSpace_ContainsEveryObservation_OfRandomEpisodes(string id)
    {
        using var env = EnvDriver.Make(id);
        var space = (Space<float>)env.Env.ObservationSpace;
        var random = new Random(5);
        env.Reset(5);
        for (var t = 0; t < 3000; t++)
        {
            Assert.True(space.Contains(env.Observation), $"step {t}: [{string.Join(", ", env.Observation)}] is outside {space}");
            var result = env.StepRandom(random);
            Assert.True(float.IsFinite(result.Reward));
            if (result.IsDone)
            {
                Assert.True(space.Contains(env.Observation), $"final observation [{string.Join(", ", env.Observation)}] is outside {space}");
                env.Reset();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Step_BeforeReset_ThrowsNamingReset(string id)
    {
        using var env = EnvDriver.Make(id);
        var error = Assert.Throws<InvalidOperationException>(() => env.StepRandom(new Random(0)));
        Assert.Contains("Reset", error.Message);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ResetAndStep_WrongObservationLength_Throw(string id)
    {
        using var env = EnvDriver.Make(id);
        var size = env.Env.ObservationSpace.FlatSize;
        var tooShort = new float[size - 1];
        var tooLong = new float[size + 1];
        if (env.Env is IEnv<float, int> discrete)
        {
            Assert.Contains($"{size - 1}", Assert.Throws<ArgumentException>(() => discrete.Reset(tooShort)).Message);
            discrete.Reset(new float[size], seed: 0);
            Assert.Contains($"{size + 1}", Assert.Throws<ArgumentException>(() => discrete.Step([0], tooLong)).Message);
        }
        else
        {
            var continuous = (IEnv<float, float>)env.Env;
            Assert.Contains($"{size - 1}", Assert.Throws<ArgumentException>(() => continuous.Reset(tooShort)).Message);
            continuous.Reset(new float[size], seed: 0);
            Assert.Contains($"{size + 1}", Assert.Throws<ArgumentException>(() => continuous.Step([0f], tooLong)).Message);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Step_WrongActionLength_Throws(string id)
    {
        using var env = EnvDriver.Make(id);
        env.Reset(0);
        if (env.Env is IEnv<float, int> discrete)
        {
            Assert.Throws<ArgumentException>(() => discrete.Step([], env.Observation));
            Assert.Throws<ArgumentException>(() => discrete.Step([0, 1], env.Observation));
        }
        else
        {
            var continuous = (IEnv<float, float>)env.Env;
            Assert.Throws<ArgumentException>(() => continuous.Step([], env.Observation));
            Assert.Throws<ArgumentException>(() => continuous.Step([0f, 0f], env.Observation));
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Step_InvalidActionValue_ThrowsClearError(string id)
    {
        using var env = EnvDriver.Make(id);
        env.Reset(0);
        if (env.Env is IEnv<float, int> discrete)
        {
            var n = ((DiscreteSpace)discrete.ActionSpace).N;
            var tooLarge = Assert.Throws<ArgumentOutOfRangeException>(() => discrete.Step([n], env.Observation));
            Assert.Contains($"{n}", tooLarge.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => discrete.Step([-1], env.Observation));
        }
        else
        {
            var continuous = (IEnv<float, float>)env.Env;
            var error = Assert.Throws<ArgumentException>(() => continuous.Step([float.NaN], env.Observation));
            Assert.Contains("NaN", error.Message);
        }

        // A rejected action leaves the episode usable.
        env.StepRandom(new Random(0));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Step_InSteadyState_AllocatesNothing(string id)
    {
        using var env = EnvDriver.Make(id);
        var random = new Random(1);
        env.Reset(1);
        RunSteps(env, random, 200);
        Assert.Equal(0, Allocations.OnThisThread(() => RunSteps(env, random, 2000), warmUp: 0, repetitions: 1));

        static void RunSteps(EnvDriver env, Random random, int count)
        {
            for (var t = 0; t < count; t++)
            {
                if (env.StepRandom(random).IsDone)
                {
                    env.Reset();
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void SetState_WrongBufferLengths_Throw(string id)
    {
        using var env = EnvDriver.Make(id);
        var physics = env.Physics;
        var observation = new float[env.Env.ObservationSpace.FlatSize];
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => physics.SetState(new double[physics.StateLength + 1], observation)).ParamName);
        Assert.Equal("observation", Assert.Throws<ArgumentException>(() => physics.SetState(new double[physics.StateLength], new float[1])).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => physics.GetState(new double[1])).ParamName);
    }

    private static List<string> Trajectory(string id, int seed, int steps)
    {
        using var env = EnvDriver.Make(id);
        var random = new Random(seed);
        var records = new List<string>();
        env.Reset(seed);
        records.Add(string.Join(",", env.Observation));
        for (var t = 0; t < steps; t++)
        {
            var result = env.StepRandom(random);
            records.Add($"{string.Join(",", env.Observation)}|{result}");
            if (result.IsDone)
            {
                env.Reset();
                records.Add(string.Join(",", env.Observation));
            }
        }

        return records;
    }
}
