using System.Diagnostics;
using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Tests.TestDoubles;
using Tempo.Core.Seeding;
using Tempo.Runtime.Schedules;
using Xunit.Abstractions;

namespace Tempo.Algorithms.Tests.Dqn;

[Trait("Category", "Slow")]
public sealed class DqnCartPoleTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Dqn_CartPole_WithCleanRlDefaults_Reaches475(int seed)
    {
        // dqn.py's defaults: one env, 500k steps; rollouts of train-frequency steps feed one gradient step each.
        var options = new DqnOptions();
        const long budget = 500_000;
        using var run = new CartPoleRun(target: 475);
        var learner = new DqnLearner(new QNetwork(4, 2, [120, 84], options.Dueling, new Random(seed)), options, budget, new RandomSource(seed));
        var policy = new EpsilonGreedyPolicy(new QNetwork(4, 2, [120, 84], options.Dueling, new Random(seed)), options, budget, new Random(seed + 100));
        var actor = run.Actor(0, 1, policy, seed: seed);
        var schedule = new SynchronousSchedule<float, int>(
            [actor], learner, new SynchronousScheduleOptions { Iterations = budget / options.TrainFrequency, StepsPerRollout = options.TrainFrequency }, run);

        var clock = Stopwatch.StartNew();
        schedule.Run(run.Solved);

        output.WriteLine($"seed {seed}: best last-20 mean {run.BestMean:F1}, reached 475 at {run.SolvedAtStep} steps, {clock.Elapsed.TotalSeconds:F1} s, {learner.Replay.Count} transitions in replay");
        Assert.True(run.SolvedAtStep is not null, $"DQN (seed {seed}) reached a best last-20 mean of {run.BestMean:F1} in {budget} steps.");
    }
}
