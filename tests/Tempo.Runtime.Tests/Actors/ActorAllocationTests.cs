using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Models;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Nn.Kernels;
using Tempo.Runtime.Actors;
using Tempo.Tests.Shared;

namespace Tempo.Runtime.Tests.Actors;

/// <summary>
/// After warm-up the acting loop allocates nothing: a collection suspends every managed thread, so an allocating
/// actor (or learner) stalls a live game's next action. Envs are wrapped as the CLI's recipes wrap them, episodes go
/// to a mailbox as in an asynchronous run, and snapshots are loaded at segment boundaries as actors do.
/// </summary>
public sealed class ActorAllocationTests
{
    // Enough segments for the segment's episode list to reach its largest size before counting.
    private const int WarmUpSegments = 10;
    private const int MeasuredSegments = 20;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Collect_CartPoleWithMlp_AllocatesNothingAfterWarmUp(int kernelThreads)
    {
        var registry = EnvRegistry.CreateDefault();
        using var parallelism = new KernelParallelism(kernelThreads);
        var policy = new CategoricalMlpActorCritic(4, 2, [64, 64], new RandomSource(1)) { Parallelism = parallelism };

        var bytes = CollectAllocations(() => new RecordEpisodeStatistics<float, int>(registry.Make<float, int>("CartPole-v1")), policy, steps: 128);

        Assert.Equal(0, bytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Collect_CatchFramesWithCnn_AllocatesNothingAfterWarmUp(int kernelThreads)
    {
        var registry = EnvRegistry.CreateDefault();
        var frames = new CatchOptions { FrameHeight = 36, FrameWidth = 36 };
        using var parallelism = new KernelParallelism(kernelThreads);
        var policy = new CategoricalCnnActorCritic(1, 36, 36, 3, new RandomSource(1), hiddenSize: 64, parallelism);

        var bytes = CollectAllocations(() => new RecordEpisodeStatistics<byte, int>(registry.Make<byte, int>("Catch-v0", frames)), policy, steps: 16);

        Assert.Equal(0, bytes);
    }

    /// <summary>Bytes the actor's thread allocates over <see cref="MeasuredSegments"/> segments of 4 envs, each begun by loading a snapshot.</summary>
    private static long CollectAllocations<TObservation>(Func<IEnv<TObservation, int>> makeEnv, IActorCritic<TObservation, int> policy, int steps)
        where TObservation : unmanaged
    {
        using var envs = new SyncVectorEnv<TObservation, int>([makeEnv(), makeEnv(), makeEnv(), makeEnv()]);
        var actor = new Actor<TObservation, int>(new ActorId(0), envs, policy);
        actor.Start(seed: 7);
        var segment = new Segment<TObservation, int>(actor.LayoutFor(steps));
        var snapshot = policy.TakeSnapshot();
        return Allocations.OnThisThread(
            () =>
            {
                policy.Load(snapshot);
                actor.Collect(segment);
            },
            WarmUpSegments,
            MeasuredSegments);
    }
}
