using Tempo.Core.Envs;
using Tempo.Core.Seeding;
using Tempo.Core.Tests.Vector.TestEnvs;
using Tempo.Core.Vector;

namespace Tempo.Core.Tests.Vector;

public sealed class ThreadedVectorEnvTests : VectorEnvContractTests
{
    // Five envs over two workers and the caller: blocks [0, 2), [2, 4) on the workers, [4, 5) on the caller.
    protected override IVectorEnv<float, int> Create(IReadOnlyList<IEnv<float, int>> envs) => new ThreadedVectorEnv<float, int>(envs, workerThreads: 2);

    [Theory]
    [InlineData(7, 0)]
    [InlineData(7, 1)]
    [InlineData(7, 2)]
    [InlineData(7, 6)]
    [InlineData(3, 2)]
    public void Step_ManySteps_MatchesSyncVectorEnv(int numEnvs, int workerThreads)
    {
        using var sync = new SyncVectorEnv<float, int>(MakeStacks(numEnvs));
        using var threaded = new ThreadedVectorEnv<float, int>(MakeStacks(numEnvs), workerThreads);
        var syncBuffers = sync.CreateBuffers();
        var threadedBuffers = threaded.CreateBuffers();
        var random = new RandomSource(99);
        var actions = new int[numEnvs];

        for (var t = 0; t < 600; t++)
        {
            if (t % 250 == 0)
            {
                // Seeded and unseeded resets along the way.
                int? seed = t == 0 ? 42 : null;
                sync.Reset(syncBuffers, seed);
                threaded.Reset(threadedBuffers, seed);
                AssertSame(syncBuffers, threadedBuffers);
            }

            for (var i = 0; i < numEnvs; i++)
            {
                actions[i] = random.Next(ScriptedEnv.ActionCount);
            }

            sync.Step(actions, syncBuffers);
            threaded.Step(actions, threadedBuffers);
            AssertSame(syncBuffers, threadedBuffers);
        }
    }

    [Fact]
    public void Step_EachEnvStaysOnOneThread_AndWorkersShareTheLoad()
    {
        var envs = Enumerable.Range(0, NumEnvs).Select(_ => new ThreadRecordingEnv(new ScriptedEnv())).ToArray();
        using var vector = Create(envs);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);
        Step(vector, buffers, action: 1, times: 50);

        Assert.All(envs, env => Assert.Single(env.Threads));
        var threads = envs.Select(env => env.Threads[0]).ToArray();
        Assert.Equal(3, threads.Distinct().Count());
        Assert.Same(threads[0], threads[1]);
        Assert.Same(threads[2], threads[3]);
        Assert.Same(Thread.CurrentThread, threads[4]);
    }

    [Fact]
    public void Dispose_JoinsTheWorkerThreads()
    {
        var envs = Enumerable.Range(0, NumEnvs).Select(_ => new ThreadRecordingEnv(new ScriptedEnv())).ToArray();
        var vector = Create(envs);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);
        Step(vector, buffers, action: 1, times: 5);
        var workers = envs.SelectMany(env => env.Threads).Distinct().Where(thread => thread != Thread.CurrentThread).ToArray();
        Assert.Equal(2, workers.Length);
        Assert.All(workers, thread => Assert.True(thread.IsAlive));

        vector.Dispose();

        Assert.All(workers, thread => Assert.False(thread.IsAlive));
        Assert.All(envs, env => Assert.True(env.IsDisposed));
    }

    [Fact]
    public void Dispose_AfterAWorkerFailed_JoinsTheWorkerThreads()
    {
        var envs = Enumerable.Range(0, NumEnvs).Select(_ => new ThreadRecordingEnv(new ScriptedEnv())).ToArray();
        var throwing = new ThrowingEnv(envs[0], failOnStep: 1);
        var vector = Create([throwing, .. envs.Skip(1)]);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);
        Assert.Throws<VectorEnvException>(() => vector.Step(new int[NumEnvs], buffers));
        var workers = envs.SelectMany(env => env.Threads).Distinct().Where(thread => thread != Thread.CurrentThread).ToArray();

        vector.Dispose();

        Assert.All(workers, thread => Assert.False(thread.IsAlive));
    }

    [Fact]
    public void Constructor_MoreWorkerThreadsThanEnvs_UsesOneFewerThanTheEnvs()
    {
        using var vector = new ThreadedVectorEnv<float, int>(MakeStacks(3), workerThreads: 16);

        Assert.Equal(2, vector.WorkerThreads);
    }

    [Fact]
    public void Constructor_NegativeWorkerThreads_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadedVectorEnv<float, int>(MakeStacks(3), workerThreads: -1));
    }

    [Fact]
    public void Constructor_DefaultWorkerThreads_UsesTheOtherProcessors()
    {
        using var vector = new ThreadedVectorEnv<float, int>(MakeStacks(64));

        Assert.Equal(Math.Min(63, Environment.ProcessorCount - 1), vector.WorkerThreads);
    }

    private static void AssertSame(VectorStepBuffers<float> expected, VectorStepBuffers<float> actual)
    {
        Assert.Equal(expected.Observations.ToArray(), actual.Observations.ToArray());
        Assert.Equal(expected.Rewards.ToArray(), actual.Rewards.ToArray());
        Assert.Equal(expected.Terminated.ToArray(), actual.Terminated.ToArray());
        Assert.Equal(expected.Truncated.ToArray(), actual.Truncated.ToArray());
        for (var i = 0; i < expected.NumEnvs; i++)
        {
            Assert.Equal(expected.HasFinal(i), actual.HasFinal(i));
            Assert.Equal(expected.FinalEpisode(i), actual.FinalEpisode(i));
            if (expected.HasFinal(i))
            {
                Assert.Equal(expected.FinalObservation(i).ToArray(), actual.FinalObservation(i).ToArray());
            }
        }
    }
}
