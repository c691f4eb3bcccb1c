using System.Diagnostics;
using Tempo.Algorithms.Impala;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Tests.TestDoubles;
using Tempo.Runtime.Schedules;
using Xunit.Abstractions;

namespace Tempo.Algorithms.Tests.Impala;

[Trait("Category", "Slow")]
public sealed class ImpalaCartPoleTests(ITestOutputHelper output)
{
    [Fact]
    public void Impala_CartPole_ReachesReturn195_Within100kSteps()
    {
        const int numEnvs = 8, numSteps = 20;
        const long budget = 100_000;
        var options = new ImpalaOptions { LearningRate = 1e-3 };
        var shape = new LearnerShape(numEnvs, numSteps, budget);
        using var run = new CartPoleRun(target: 195);
        var learner = new ImpalaLearner<float, int>(CartPoleRun.Model(1), options, shape);
        var actor = run.Actor(0, numEnvs, CartPoleRun.Model(3), seed: 4);
        var schedule = new SynchronousSchedule<float, int>(
            [actor], learner, new SynchronousScheduleOptions { Iterations = budget / (numEnvs * numSteps), StepsPerRollout = numSteps }, run);

        var clock = Stopwatch.StartNew();
        schedule.Run(run.Solved);

        var initial = run.FirstMean(20);
        output.WriteLine($"first-20 mean {initial:F1}, best last-20 mean {run.BestMean:F1} (reached 195 at {run.SolvedAtStep}), {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(run.SolvedAtStep is not null, $"IMPALA went from a first-20 mean of {initial:F1} to a best last-20 mean of {run.BestMean:F1}.");
    }
}
