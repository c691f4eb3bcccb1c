using System.Diagnostics;
using Tempo.Algorithms.Sac;
using Tempo.Algorithms.Tests.TestDoubles;
using Tempo.Core.Seeding;
using Tempo.Runtime.Schedules;
using Xunit.Abstractions;

namespace Tempo.Algorithms.Tests.Sac;

[Trait("Category", "Slow")]
public sealed class DiscreteSacCartPoleTests(ITestOutputHelper output)
{
    /// <summary>configs/sac/cartpole-discrete.json's settings (a test must not read the repository's configs, so they are repeated here).</summary>
    public static DiscreteSacOptions CartPoleOptions => new()
    {
        BufferSize = 100_000,
        BatchSize = 128,
        LearningStarts = 1_000,
        PolicyLr = 3e-4,
        QLr = 1e-3,
        UpdateFrequency = 1,
        TargetNetworkFrequency = 1,
        Tau = 0.005,
        TargetEntropyScale = 0.3,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DiscreteSac_CartPole_Reaches475(int seed)
    {
        var options = CartPoleOptions;
        const long budget = 100_000;
        using var run = new CartPoleRun(target: 475);
        int[] hidden = [64, 64];
        var learner = new DiscreteSacLearner(DiscreteSacNetworks.Mlp(4, 2, hidden, new Random(seed)), options, new RandomSource(seed));
        var policy = new DiscreteSacPolicy(DiscreteSacNetworks.MlpActor(4, 2, hidden, new Random(seed)), 4, 2, options, new Random(seed + 100));
        var actor = run.Actor(0, 1, policy, seed: seed);
        var schedule = new SynchronousSchedule<float, int>(
            [actor], learner, new SynchronousScheduleOptions { Iterations = budget, StepsPerRollout = 1 }, run);

        var clock = Stopwatch.StartNew();
        schedule.Run(run.Solved);

        output.WriteLine($"seed {seed}: best last-20 mean {run.BestMean:F1}, reached 475 at {run.SolvedAtStep} steps, {clock.Elapsed.TotalSeconds:F1} s, α {learner.Alpha:F4}");
        Assert.True(run.SolvedAtStep is not null, $"Discrete SAC (seed {seed}) reached a best last-20 mean of {run.BestMean:F1} in {budget} steps.");
    }
}
