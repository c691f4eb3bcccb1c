using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Tests.TestDoubles;
using Tempo.Core.Seeding;
using Tempo.Nn.Kernels;

namespace Tempo.Algorithms.Tests.Appo;

/// <summary>After warm-up an APPO update (trajectory shuffles, V-trace per minibatch, loss, backward, Adam) allocates nothing but the statistics it returns.</summary>
public sealed class AppoLearnerAllocationTests
{
    private const int Steps = 32;

    private static readonly LearnerShape _shape = new(SteadyStateRollouts.Envs, Steps, TotalTimesteps: 1_000_000);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Update_Mlp_AllocatesOnlyItsStatistics(int kernelThreads)
    {
        var segment = SteadyStateRollouts.CartPole(Steps);
        using var parallelism = new KernelParallelism(kernelThreads);
        var learner = new AppoLearner<float, int>(SteadyStateRollouts.Mlp(2, parallelism), Options(), _shape, new RandomSource(3));

        Assert.InRange(SteadyStateRollouts.BytesPerUpdate(learner, segment), 0, SteadyStateRollouts.StatisticsObjectBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Update_Cnn_AllocatesOnlyItsStatistics(int kernelThreads)
    {
        var segment = SteadyStateRollouts.Catch(Steps);
        using var parallelism = new KernelParallelism(kernelThreads);
        var learner = new AppoLearner<byte, int>(SteadyStateRollouts.Cnn(2, parallelism), Options(), _shape, new RandomSource(3));

        Assert.InRange(SteadyStateRollouts.BytesPerUpdate(learner, segment), 0, SteadyStateRollouts.StatisticsObjectBytes);
    }

    private static AppoOptions Options() => new() { NumMinibatches = 2 };
}
