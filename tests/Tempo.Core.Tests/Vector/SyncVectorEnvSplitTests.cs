using Tempo.Core.Envs;
using Tempo.Core.Tests.Vector.TestEnvs;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Tests.Shared;

namespace Tempo.Core.Tests.Vector;

/// <summary>SyncVectorEnv over envs that can split their step: every action is submitted before any result is awaited.</summary>
public sealed class SyncVectorEnvSplitTests
{
    private const int NumEnvs = 4;

    private readonly List<string> _log = [];

    [Fact]
    public void Step_EveryEnvSplits_SubmitsAllBeforeAnyWait()
    {
        using var vector = new SyncVectorEnv<float, int>(SplitEnvs());
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);

        vector.Step(new int[NumEnvs], buffers);

        Assert.True(vector.SplitsSteps);
        Assert.Equal(["submit 0", "submit 1", "submit 2", "submit 3", "wait 0", "wait 1", "wait 2", "wait 3"], _log);
    }

    [Fact]
    public void Step_OneEnvCannotSplit_StepsEveryEnvInTurn()
    {
        var envs = SplitEnvs();
        envs[2] = new SequentialOnly<float, int>(envs[2]);
        using var vector = new SyncVectorEnv<float, int>(envs);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);

        vector.Step(new int[NumEnvs], buffers);

        Assert.False(vector.SplitsSteps);
        Assert.Equal(["step 0", "step 1", "step 2", "step 3"], _log);
    }

    [Fact]
    public void Step_Split_MatchesSteppingInTurnIncludingAutoreset()
    {
        // Forwarding wrappers (episode statistics, time limit) over each env; the reference vector cannot split.
        using var split = new SyncVectorEnv<float, int>(Wrapped(SplitEnvs()));
        using var inTurn = new SyncVectorEnv<float, int>(Wrapped(SplitEnvs()).Select(e => (IEnv<float, int>)new SequentialOnly<float, int>(e)).ToArray());
        Assert.True(split.SplitsSteps);
        Assert.False(inTurn.SplitsSteps);
        var a = split.CreateBuffers();
        var b = inTurn.CreateBuffers();
        split.Reset(a, seed: 3);
        inTurn.Reset(b, seed: 3);
        var actions = new int[NumEnvs];
        var ended = 0;

        for (var t = 0; t < 60; t++)
        {
            for (var i = 0; i < NumEnvs; i++)
            {
                actions[i] = ((t * 7) + i) % ScriptedEnv.ActionCount;
            }

            split.Step(actions, a);
            inTurn.Step(actions, b);

            Assert.Equal(b.Observations.ToArray(), a.Observations.ToArray());
            Assert.Equal(b.Rewards.ToArray(), a.Rewards.ToArray());
            Assert.Equal(b.Terminated.ToArray(), a.Terminated.ToArray());
            Assert.Equal(b.Truncated.ToArray(), a.Truncated.ToArray());
            for (var i = 0; i < NumEnvs; i++)
            {
                Assert.Equal(b.HasFinal(i), a.HasFinal(i));
                if (a.HasFinal(i))
                {
                    ended++;
                    Assert.Equal(b.FinalObservation(i).ToArray(), a.FinalObservation(i).ToArray());
                    Assert.Equal(b.FinalEpisode(i)!.Value.Return, a.FinalEpisode(i)!.Value.Return);
                    Assert.Equal(b.FinalEpisode(i)!.Value.Length, a.FinalEpisode(i)!.Value.Length);
                }
            }
        }

        Assert.True(ended >= 20, $"only {ended} episodes ended; autoreset was not exercised");
    }

    [Fact]
    public void Step_Split_SteadyState_AllocatesNothingOnTheCallingThread()
    {
        using var vector = new SyncVectorEnv<float, int>(Wrapped(Enumerable.Range(0, NumEnvs).Select(i => (IEnv<float, int>)new SplitSteppingEnv(new ScriptedEnv(), $"{i}", log: null)).ToArray()));
        var buffers = vector.CreateBuffers();
        var actions = new int[NumEnvs];
        vector.Reset(buffers, seed: 0);
        Assert.True(vector.SplitsSteps);
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
    public void Step_AnEnvThrowsOnSubmit_TheVectorNamesItAndNeedsAReset()
    {
        using var vector = new SyncVectorEnv<float, int>(SplitEnvs());
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);
        var actions = new int[NumEnvs];
        actions[1] = 99;

        var error = Assert.Throws<VectorEnvException>(() => vector.Step(actions, buffers));

        Assert.Equal(1, error.EnvIndex);
        Assert.Throws<InvalidOperationException>(() => vector.Step(new int[NumEnvs], buffers));
    }

    private IEnv<float, int>[] SplitEnvs() =>
        Enumerable.Range(0, NumEnvs).Select(i => (IEnv<float, int>)new SplitSteppingEnv(new ScriptedEnv(), $"{i}", _log)).ToArray();

    private static IEnv<float, int>[] Wrapped(IEnv<float, int>[] envs) =>
        envs.Select(e => (IEnv<float, int>)new RecordEpisodeStatistics<float, int>(new TimeLimit<float, int>(new ClipReward<float, int>(e, -2, 2), 5))).ToArray();
}
