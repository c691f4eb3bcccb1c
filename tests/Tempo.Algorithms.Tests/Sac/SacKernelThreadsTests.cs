using Tempo.Algorithms.Sac;
using Tempo.Core.Seeding;
using Tempo.Nn.Kernels;

namespace Tempo.Algorithms.Tests.Sac;

/// <summary>SAC's target critics run on the kernel threads their critics were given: the targets' forward pass on s′ is a third of a critic step's passes.</summary>
public sealed class SacKernelThreadsTests
{
    [Fact]
    public void TargetCriticsRunOnTheCriticsKernelThreads()
    {
        using var qf1Threads = new KernelParallelism(2);
        using var qf2Threads = new KernelParallelism(2);
        int[] hidden = [8, 8];
        var learner = new SacLearner(
            new SacActor(3, 1, hidden, new Random(1)),
            new SoftQNetwork(3, 1, hidden, new Random(2)) { Parallelism = qf1Threads },
            new SoftQNetwork(3, 1, hidden, new Random(3)) { Parallelism = qf2Threads },
            [-2f],
            [2f],
            new SacOptions { BatchSize = 4, BufferSize = 16 },
            new RandomSource(1));

        var (qf1Target, qf2Target) = learner.TargetCritics;

        Assert.Same(qf1Threads, qf1Target.Parallelism);
        Assert.Same(qf2Threads, qf2Target.Parallelism);
    }

    [Fact]
    public void ASiblingOfACriticOnOneThreadStaysOnOne()
    {
        var sibling = new SoftQNetwork(3, 1, [8], new Random(2)).CreateSibling(new Random(0));

        Assert.Null(sibling.Parallelism);
    }
}
