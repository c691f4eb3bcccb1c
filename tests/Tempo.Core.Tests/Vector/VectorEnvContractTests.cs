using Tempo.Core.Envs;
using Tempo.Core.Seeding;
using Tempo.Core.Spaces;
using Tempo.Core.Tests.Vector.TestEnvs;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Tests.Shared;

namespace Tempo.Core.Tests.Vector;

/// <summary>The behaviour every <see cref="IVectorEnv{TObservation, TAction}"/> must show; each implementation derives once.</summary>
public abstract class VectorEnvContractTests
{
    protected const int NumEnvs = 5;

    protected abstract IVectorEnv<float, int> Create(IReadOnlyList<IEnv<float, int>> envs);

    /// <summary>Episode statistics over a time limit over a scripted env: episodes end by termination (length 2–7) or truncation (5 steps).</summary>
    internal static IEnv<float, int> MakeStack() => new FakeRecordEpisodeStatistics(new TimeLimit<float, int>(new ScriptedEnv(), maxEpisodeSteps: 5));

    internal static IEnv<float, int>[] MakeStacks(int count) => [.. Enumerable.Range(0, count).Select(_ => MakeStack())];

    [Fact]
    public void Properties_DescribeOneEnvAndTheCount()
    {
        using var vector = Create(MakeStacks(NumEnvs));

        Assert.Equal(NumEnvs, vector.NumEnvs);
        Assert.Equal(ScriptedEnv.ObservationSize, vector.SingleObservationSpace.FlatSize);
        Assert.Equal(ScriptedEnv.ActionCount, Assert.IsType<DiscreteSpace>(vector.SingleActionSpace).N);
        var buffers = vector.CreateBuffers();
        Assert.Equal(NumEnvs, buffers.NumEnvs);
        Assert.Equal(NumEnvs * ScriptedEnv.ObservationSize, buffers.Observations.Length);
    }

    [Fact]
    public void Reset_WithSeed_SeedsEnvIWithSeedPlusI()
    {
        using var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();

        vector.Reset(buffers, seed: 100);

        for (var i = 0; i < NumEnvs; i++)
        {
            using var reference = MakeStack();
            var expected = new float[ScriptedEnv.ObservationSize];
            reference.Reset(expected, seed: 100 + i);
            Assert.Equal(expected, buffers.Observation(i).ToArray());
        }

        // The seeds differ per env, so the envs do not start alike.
        Assert.NotEqual(buffers.Observation(0).ToArray(), buffers.Observation(1).ToArray());
    }

    [Fact]
    public void Reset_WithoutSeed_LeavesTheEnvsRandomSourcesAsTheyAre()
    {
        using var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 7);

        vector.Reset(buffers);

        for (var i = 0; i < NumEnvs; i++)
        {
            using var reference = MakeStack();
            var expected = new float[ScriptedEnv.ObservationSize];
            reference.Reset(expected, seed: 7 + i);
            reference.Reset(expected);
            Assert.Equal(expected, buffers.Observation(i).ToArray());
        }
    }

    [Fact]
    public void Reset_SameSeedTwice_GivesTheSameObservations()
    {
        using var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 3);
        var first = buffers.Observations.ToArray();
        Step(vector, buffers, action: 1, times: 4);

        vector.Reset(buffers, seed: 3);

        Assert.Equal(first, buffers.Observations.ToArray());
    }

    [Fact]
    public void Reset_AfterEpisodesEnded_ClearsRewardsFlagsAndFinals()
    {
        using var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 1);
        Step(vector, buffers, action: 2, times: 5); // the time limit ends every episode on step 5
        Assert.All(Enumerable.Range(0, NumEnvs), i => Assert.True(buffers.HasFinal(i)));

        vector.Reset(buffers, seed: 1);

        for (var i = 0; i < NumEnvs; i++)
        {
            Assert.Equal(0f, buffers.Rewards[i]);
            Assert.False(buffers.Terminated[i]);
            Assert.False(buffers.Truncated[i]);
            Assert.False(buffers.HasFinal(i));
            Assert.Null(buffers.FinalEpisode(i));
        }
    }

    [Fact]
    public void Step_WhenAnEpisodeEnds_BatchHoldsTheResetObservationAndFinalHoldsTheLastOne()
    {
        // Every episode terminates after exactly 3 steps.
        IEnv<float, int>[] envs = [.. Enumerable.Range(0, NumEnvs).Select(_ => new ScriptedEnv(minLength: 3, maxLength: 3))];
        using var vector = Create(envs);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 5);
        var resetValues = Enumerable.Range(0, NumEnvs).Select(i => buffers.Observation(i)[0]).ToArray();

        Step(vector, buffers, action: 1, times: 2);
        Assert.All(Enumerable.Range(0, NumEnvs), i => Assert.False(buffers.HasFinal(i)));
        Step(vector, buffers, action: 2, times: 1);

        for (var i = 0; i < NumEnvs; i++)
        {
            Assert.True(buffers.Terminated[i]);
            Assert.False(buffers.Truncated[i]);
            Assert.True(buffers.HasFinal(i));
            Assert.Equal(ScriptedEnv.RewardFor(2, 3), buffers.Rewards[i]);

            // The final observation is the third step's: same episode, 3 steps, last action 2.
            Assert.Equal(new[] { resetValues[i], 3f, 2f }, buffers.FinalObservation(i).ToArray());

            // The batch already holds the next episode's first observation (drawn from the same seeded stream).
            using var reference = new ScriptedEnv(minLength: 3, maxLength: 3);
            var expected = new float[ScriptedEnv.ObservationSize];
            reference.Reset(expected, seed: 5 + i);
            reference.Reset(expected);
            Assert.Equal(expected, buffers.Observation(i).ToArray());
            Assert.Equal(0f, buffers.Observation(i)[1]);
        }

        // The next step continues the new episode.
        Step(vector, buffers, action: 0, times: 1);
        Assert.All(Enumerable.Range(0, NumEnvs), i => Assert.Equal(1f, buffers.Observation(i)[1]));
        Assert.All(Enumerable.Range(0, NumEnvs), i => Assert.False(buffers.HasFinal(i)));
    }

    [Fact]
    public void Step_WhenTheTimeLimitCutsAnEpisode_ReportsTruncatedWithTheFinalObservation()
    {
        IEnv<float, int>[] envs = [.. Enumerable.Range(0, NumEnvs).Select(_ => new TimeLimit<float, int>(new ScriptedEnv(minLength: 10, maxLength: 10), 2))];
        using var vector = Create(envs);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 9);

        Step(vector, buffers, action: 1, times: 2);

        for (var i = 0; i < NumEnvs; i++)
        {
            Assert.False(buffers.Terminated[i]);
            Assert.True(buffers.Truncated[i]);
            Assert.Equal(2f, buffers.FinalObservation(i)[1]);
            Assert.Equal(0f, buffers.Observation(i)[1]);
            Assert.Null(buffers.FinalEpisode(i)); // this stack records no statistics
        }
    }

    [Fact]
    public void Step_ManySteps_MatchesIndependentEnvsResetByHand()
    {
        using var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();
        var references = MakeStacks(NumEnvs);
        var referenceObservations = new float[NumEnvs][];
        vector.Reset(buffers, seed: 11);
        for (var i = 0; i < NumEnvs; i++)
        {
            referenceObservations[i] = new float[ScriptedEnv.ObservationSize];
            references[i].Reset(referenceObservations[i], seed: 11 + i);
        }

        var random = new RandomSource(123);
        var actions = new int[NumEnvs];
        var episodesSeen = 0;
        for (var t = 0; t < 300; t++)
        {
            for (var i = 0; i < NumEnvs; i++)
            {
                actions[i] = random.Next(ScriptedEnv.ActionCount);
            }

            vector.Step(actions, buffers);

            for (var i = 0; i < NumEnvs; i++)
            {
                var expected = references[i].Step(actions.AsSpan(i, 1), referenceObservations[i]);
                Assert.Equal(expected.Reward, buffers.Rewards[i]);
                Assert.Equal(expected.Terminated, buffers.Terminated[i]);
                Assert.Equal(expected.Truncated, buffers.Truncated[i]);
                Assert.Equal(expected.IsDone, buffers.HasFinal(i));

                // Statistics are present exactly on the steps that end an episode.
                Assert.Equal(expected.IsDone, buffers.FinalEpisode(i).HasValue);
                if (expected.IsDone)
                {
                    episodesSeen++;
                    Assert.Equal(expected.Episode, buffers.FinalEpisode(i));
                    Assert.Equal(referenceObservations[i], buffers.FinalObservation(i).ToArray());
                    references[i].Reset(referenceObservations[i]);
                }

                Assert.Equal(referenceObservations[i], buffers.Observation(i).ToArray());
            }
        }

        Assert.True(episodesSeen > 100, $"only {episodesSeen} episodes ended");
        foreach (var reference in references)
        {
            reference.Dispose();
        }
    }

    [Fact]
    public void Step_FinalEpisode_SumsTheEpisodesRewards()
    {
        using var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 21);
        var returns = new double[NumEnvs];
        var lengths = new int[NumEnvs];
        var actions = new int[NumEnvs];
        for (var t = 0; t < 60; t++)
        {
            for (var i = 0; i < NumEnvs; i++)
            {
                actions[i] = (t + i) % ScriptedEnv.ActionCount;
            }

            vector.Step(actions, buffers);
            for (var i = 0; i < NumEnvs; i++)
            {
                returns[i] += buffers.Rewards[i];
                lengths[i]++;
                if (buffers.HasFinal(i))
                {
                    var episode = buffers.FinalEpisode(i)!.Value;
                    Assert.Equal(returns[i], episode.Return, precision: 5);
                    Assert.Equal(lengths[i], episode.Length);
                    Assert.InRange(episode.Length, 2, 5);
                    returns[i] = 0;
                    lengths[i] = 0;
                }
            }
        }
    }

    [Fact]
    public void FinalObservation_WhenTheEnvDidNotEnd_Throws()
    {
        using var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);
        Step(vector, buffers, action: 0, times: 1);

        var error = Assert.Throws<InvalidOperationException>(() => buffers.FinalObservation(2));
        Assert.Contains("Env 2", error.Message);
    }

    [Fact]
    public void Step_SteadyState_AllocatesNothingOnTheCallingThread()
    {
        using var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();
        var actions = new int[NumEnvs];
        vector.Reset(buffers, seed: 0);
        var t = 0;
        void StepOnce()
        {
            actions[t % NumEnvs] = t % ScriptedEnv.ActionCount;
            vector.Step(actions, buffers);
            t++;
        }

        Assert.Equal(0, Allocations.OnThisThread(StepOnce, warmUp: 300, repetitions: 500));
    }

    [Fact]
    public void Step_ActionsOfTheWrongLength_ThrowsNamingTheLengths()
    {
        using var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);

        var error = Assert.Throws<ArgumentException>(() => vector.Step(new int[NumEnvs + 1], buffers));

        Assert.Equal("actions", error.ParamName);
        Assert.Contains($"{NumEnvs + 1}", error.Message);
        Assert.Contains($"{NumEnvs}", error.Message);
    }

    [Fact]
    public void Step_BuffersOfAnotherShape_Throws()
    {
        using var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);

        Assert.Throws<ArgumentException>(() => vector.Step(new int[NumEnvs], new VectorStepBuffers<float>(NumEnvs + 1, ScriptedEnv.ObservationSize)));
        Assert.Throws<ArgumentException>(() => vector.Step(new int[NumEnvs], new VectorStepBuffers<float>(NumEnvs, ScriptedEnv.ObservationSize + 1)));
        Assert.Throws<ArgumentException>(() => vector.Reset(new VectorStepBuffers<float>(1, ScriptedEnv.ObservationSize)));
        Assert.Throws<ArgumentNullException>(() => vector.Step(new int[NumEnvs], null!));
    }

    [Fact]
    public void Step_BeforeReset_Throws()
    {
        using var vector = Create(MakeStacks(NumEnvs));

        var error = Assert.Throws<InvalidOperationException>(() => vector.Step(new int[NumEnvs], vector.CreateBuffers()));

        Assert.Contains("Reset", error.Message);
    }

    [Fact]
    public void Step_AfterDispose_Throws()
    {
        var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);
        vector.Dispose();

        Assert.Throws<ObjectDisposedException>(() => vector.Step(new int[NumEnvs], buffers));
        Assert.Throws<ObjectDisposedException>(() => vector.Reset(buffers));
    }

    [Fact]
    public void Dispose_DisposesEveryEnv_AndMayBeCalledTwice()
    {
        var envs = Enumerable.Range(0, NumEnvs).Select(_ => new ThreadRecordingEnv(new ScriptedEnv())).ToArray();
        var vector = Create(envs);

        vector.Dispose();
        vector.Dispose();

        Assert.All(envs, env => Assert.True(env.IsDisposed));
    }

    [Fact]
    public void Reset_SeedThatWouldOverflowForTheLastEnv_Throws()
    {
        using var vector = Create(MakeStacks(NumEnvs));

        Assert.Throws<ArgumentOutOfRangeException>(() => vector.Reset(vector.CreateBuffers(), seed: int.MaxValue - 1));
    }

    [Fact]
    public void Constructor_NoEnvs_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Create([]));

        Assert.Contains("at least one env", error.Message);
    }

    [Fact]
    public void Constructor_NullEnv_Throws()
    {
        var envs = MakeStacks(3);
        envs[1] = null!;

        var error = Assert.Throws<ArgumentException>(() => Create(envs));

        Assert.Contains("Env 1 is null", error.Message);
    }

    [Fact]
    public void Constructor_SameEnvInstanceTwice_Throws()
    {
        var env = MakeStack();

        var error = Assert.Throws<ArgumentException>(() => Create([MakeStack(), env, env]));

        Assert.Contains("Env 2 is the same instance as env 1", error.Message);
    }

    [Fact]
    public void Constructor_MismatchedObservationSpaces_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Create([new ScriptedEnv(), new ScriptedEnv(observationSize: 4)]));

        Assert.Contains("Env 1 has observation space", error.Message);
    }

    [Fact]
    public void Constructor_MismatchedActionSpaces_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Create([new ScriptedEnv(), new ScriptedEnv(), new ScriptedEnv(actionCount: 2)]));

        Assert.Contains("Env 2 has action space Discrete(2)", error.Message);
        Assert.Contains("env 0 has Discrete(3)", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Step_AnEnvThrows_SurfacesOnTheCallerWithTheEnvIndex(int failingEnv)
    {
        var envs = MakeStacks(NumEnvs);
        envs[failingEnv] = new ThrowingEnv(envs[failingEnv], failOnStep: 3);
        using var vector = Create(envs);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);
        Step(vector, buffers, action: 0, times: 2);

        var error = Assert.Throws<VectorEnvException>(() => vector.Step(new int[NumEnvs], buffers));

        Assert.Equal(failingEnv, error.EnvIndex);
        Assert.Contains($"Env {failingEnv} of {NumEnvs} threw during Step", error.Message);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal(ThrowingEnv.Message, error.InnerException!.Message);

        // The batch is inconsistent now: stepping again needs a reset, after which the vector works.
        Assert.Throws<InvalidOperationException>(() => vector.Step(new int[NumEnvs], buffers));
        vector.Reset(buffers, seed: 0);
        Step(vector, buffers, action: 1, times: 3);
    }

    [Fact]
    public void Step_SeveralEnvsThrow_ReportsTheLowestIndex()
    {
        var envs = MakeStacks(NumEnvs);
        envs[1] = new ThrowingEnv(envs[1], failOnStep: 1);
        envs[4] = new ThrowingEnv(envs[4], failOnStep: 1);
        using var vector = Create(envs);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);

        var error = Assert.Throws<VectorEnvException>(() => vector.Step(new int[NumEnvs], buffers));

        Assert.Equal(1, error.EnvIndex);
    }

    [Fact]
    public void Step_ActionOutsideTheSpace_SurfacesTheEnvsErrorWithItsIndex()
    {
        using var vector = Create(MakeStacks(NumEnvs));
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);
        var actions = new int[NumEnvs];
        actions[3] = ScriptedEnv.ActionCount;

        var error = Assert.Throws<VectorEnvException>(() => vector.Step(actions, buffers));

        Assert.Equal(3, error.EnvIndex);
        Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
    }

    [Fact]
    public void Reset_AnEnvThrows_SurfacesWithTheEnvIndexAndStepNeedsAReset()
    {
        var envs = MakeStacks(NumEnvs);
        envs[NumEnvs - 1] = new ThrowingEnv(envs[NumEnvs - 1], failOnReset: 2);
        using var vector = Create(envs);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);

        var error = Assert.Throws<VectorEnvException>(() => vector.Reset(buffers, seed: 0));

        Assert.Equal(NumEnvs - 1, error.EnvIndex);
        Assert.Contains("during Reset", error.Message);
        Assert.Throws<InvalidOperationException>(() => vector.Step(new int[NumEnvs], buffers));
        vector.Reset(buffers, seed: 0);
        Step(vector, buffers, action: 0, times: 1);
    }

    [Fact]
    public void Step_AutoresetThrows_SurfacesWithTheEnvIndex()
    {
        // Reset 1 is the vector's; reset 2 is the autoreset after the 3-step episode.
        var envs = Enumerable.Range(0, NumEnvs).Select(_ => (IEnv<float, int>)new ScriptedEnv(minLength: 3, maxLength: 3)).ToArray();
        envs[2] = new ThrowingEnv(envs[2], failOnReset: 2);
        using var vector = Create(envs);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);
        Step(vector, buffers, action: 0, times: 2);

        var error = Assert.Throws<VectorEnvException>(() => vector.Step(new int[NumEnvs], buffers));

        Assert.Equal(2, error.EnvIndex);
    }

    protected static void Step(IVectorEnv<float, int> vector, VectorStepBuffers<float> buffers, int action, int times)
    {
        var actions = Enumerable.Repeat(action, vector.NumEnvs).ToArray();
        for (var t = 0; t < times; t++)
        {
            vector.Step(actions, buffers);
        }
    }
}
