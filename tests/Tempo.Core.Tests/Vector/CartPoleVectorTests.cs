using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;

namespace Tempo.Core.Tests.Vector;

/// <summary>Vectors over the registry's CartPole-v1 (CartPole inside its 500-step time limit) against envs stepped and reset by hand.</summary>
public sealed class CartPoleVectorTests
{
    private const int NumEnvs = 4;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_ManySteps_MatchesRegistryEnvsResetByHand(bool threaded)
    {
        var registry = EnvRegistry.CreateDefault();
        IEnv<float, int>[] envs = [.. Enumerable.Range(0, NumEnvs).Select(_ => registry.Make<float, int>("CartPole-v1"))];
        using IVectorEnv<float, int> vector = threaded ? new ThreadedVectorEnv<float, int>(envs, workerThreads: 1) : new SyncVectorEnv<float, int>(envs);
        var buffers = vector.CreateBuffers();
        var references = Enumerable.Range(0, NumEnvs).Select(_ => registry.Make<float, int>("CartPole-v1")).ToArray();
        var observations = new float[NumEnvs][];
        vector.Reset(buffers, seed: 2024);
        for (var i = 0; i < NumEnvs; i++)
        {
            observations[i] = new float[4];
            references[i].Reset(observations[i], seed: 2024 + i);
        }

        // Random actions end CartPole episodes after about 20 steps, so many autoresets happen.
        var random = new RandomSource(5);
        var actions = new int[NumEnvs];
        var ended = 0;
        for (var t = 0; t < 1000; t++)
        {
            for (var i = 0; i < NumEnvs; i++)
            {
                actions[i] = random.Next(2);
            }

            vector.Step(actions, buffers);
            for (var i = 0; i < NumEnvs; i++)
            {
                var expected = references[i].Step(actions.AsSpan(i, 1), observations[i]);
                Assert.Equal(expected.Reward, buffers.Rewards[i]);
                Assert.Equal(expected.Terminated, buffers.Terminated[i]);
                Assert.Equal(expected.Truncated, buffers.Truncated[i]);
                if (expected.IsDone)
                {
                    ended++;
                    Assert.Equal(observations[i], buffers.FinalObservation(i).ToArray());
                    references[i].Reset(observations[i]);
                }

                Assert.Equal(observations[i], buffers.Observation(i).ToArray());
            }
        }

        Assert.True(ended > 50, $"only {ended} episodes ended");
        foreach (var reference in references)
        {
            reference.Dispose();
        }
    }
}
