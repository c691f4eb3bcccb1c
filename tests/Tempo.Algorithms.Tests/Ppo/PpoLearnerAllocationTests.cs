using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Ppo;
using Tempo.Algorithms.Tests.TestDoubles;
using Tempo.Core.Seeding;
using Tempo.Nn.Kernels;

namespace Tempo.Algorithms.Tests.Ppo;

/// <summary>After warm-up a PPO update (GAE, shuffles, minibatches, loss, backward, Adam) allocates nothing but the statistics it returns.</summary>
public sealed class PpoLearnerAllocationTests
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
        var learner = new PpoLearner<float, int>(SteadyStateRollouts.Mlp(2, parallelism), Options(), _shape, new RandomSource(3));

        Assert.InRange(SteadyStateRollouts.BytesPerUpdate(learner, segment), 0, SteadyStateRollouts.StatisticsObjectBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Update_Cnn_AllocatesOnlyItsStatistics(int kernelThreads)
    {
        var segment = SteadyStateRollouts.Catch(Steps);
        using var parallelism = new KernelParallelism(kernelThreads);
        var learner = new PpoLearner<byte, int>(SteadyStateRollouts.Cnn(2, parallelism), Options(), _shape, new RandomSource(3));

        Assert.InRange(SteadyStateRollouts.BytesPerUpdate(learner, segment), 0, SteadyStateRollouts.StatisticsObjectBytes);
    }

    // A stretch of target-kl keeps the early-stop branch in the measured code.
    private static PpoOptions Options() => new() { TargetKl = 0.5 };
}
