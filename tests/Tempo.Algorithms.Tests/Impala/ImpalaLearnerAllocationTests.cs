using Tempo.Algorithms.Impala;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Tests.TestDoubles;
using Tempo.Nn.Kernels;

namespace Tempo.Algorithms.Tests.Impala;

/// <summary>After warm-up an IMPALA update (V-trace, loss, backward, Adam) allocates nothing but the statistics it returns.</summary>
public sealed class ImpalaLearnerAllocationTests
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
        var learner = new ImpalaLearner<float, int>(SteadyStateRollouts.Mlp(2, parallelism), Options(), _shape);

        Assert.InRange(SteadyStateRollouts.BytesPerUpdate(learner, segment), 0, SteadyStateRollouts.StatisticsObjectBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Update_Cnn_AllocatesOnlyItsStatistics(int kernelThreads)
    {
        var segment = SteadyStateRollouts.Catch(Steps);
        using var parallelism = new KernelParallelism(kernelThreads);
        var learner = new ImpalaLearner<byte, int>(SteadyStateRollouts.Cnn(2, parallelism), Options(), _shape);

        Assert.InRange(SteadyStateRollouts.BytesPerUpdate(learner, segment), 0, SteadyStateRollouts.StatisticsObjectBytes);
    }

    private static ImpalaOptions Options() => new();
}
