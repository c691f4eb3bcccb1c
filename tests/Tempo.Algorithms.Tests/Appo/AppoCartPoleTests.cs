using System.Diagnostics;
using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Tests.TestDoubles;
using Tempo.Core.Seeding;
using Tempo.Runtime.Schedules;
using Xunit.Abstractions;

namespace Tempo.Algorithms.Tests.Appo;

[Trait("Category", "Slow")]
public sealed class AppoCartPoleTests(ITestOutputHelper output)
{
    private const int NumEnvs = 8;
    private const int NumSteps = 32;
    private const long Budget = 100_000;

    private static readonly AppoOptions _options = new()
    {
        LearningRate = 1e-3,
        NumMinibatches = 2,
        UpdateEpochs = 4,
    };

    /// <summary>Every update trains on <see cref="NumEnvs"/> trajectories of <see cref="NumSteps"/> steps, over <see cref="Budget"/> steps.</summary>
    private static readonly LearnerShape _shape = new(NumEnvs, NumSteps, Budget);

    [Fact]
    public void Appo_CartPole_ReachesReturn195_Within100kSteps()
    {
        using var run = new CartPoleRun(target: 195);
        var model = CartPoleRun.Model(1);
        var learner = new AppoLearner<float, int>(model, _options, _shape, new RandomSource(2));
        var actor = run.Actor(0, NumEnvs, CartPoleRun.Model(3), seed: 4);
        var schedule = new SynchronousSchedule<float, int>(
            [actor], learner, new SynchronousScheduleOptions { Iterations = Budget / (NumEnvs * NumSteps), StepsPerRollout = NumSteps }, run);

        var clock = Stopwatch.StartNew();
        schedule.Run(run.Solved);

        output.WriteLine($"solved at {run.SolvedAtStep} steps, best last-20 mean {run.BestMean:F1}, {run.Returns.Count} episodes, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(run.SolvedAtStep is not null, $"APPO's best last-20 mean was {run.BestMean:F1} after {schedule.GlobalStep} steps.");
    }

    [Fact]
    public void Appo_CartPole_BehaviourPoliciesSeveralVersionsOld_StillReachesReturn195()
    {
        // Four actors act with snapshots 1, 2, 3 and 4 versions old, as an asynchronous schedule would hand them out.
        const int actors = 4, envsPerActor = NumEnvs / actors;
        using var run = new CartPoleRun(target: 195);
        var model = CartPoleRun.Model(1);
        var learner = new AppoLearner<float, int>(model, _options, _shape, new RandomSource(2));
        var policies = Enumerable.Range(0, actors).Select(k => CartPoleRun.Model(10 + k)).ToArray();
        var acting = Enumerable.Range(0, actors).Select(k => run.Actor(k, envsPerActor, policies[k], seed: 100 * k)).ToArray();
        var segments = acting.Select(a => new Segment<float, int>(a.LayoutFor(NumSteps))).ToArray();
        var snapshots = new List<PolicySnapshot> { learner.Snapshot() };
        var lags = new List<double>();

        var clock = Stopwatch.StartNew();
        long step = 0;
        for (; step < Budget && run.SolvedAtStep is null; step += NumEnvs * NumSteps)
        {
            for (var k = 0; k < actors; k++)
            {
                var stale = snapshots[Math.Max(0, snapshots.Count - 1 - (k + 1))];
                policies[k].Load(stale);
                acting[k].Collect(segments[k]);
            }

            var statistics = learner.Update(segments);
            lags.Add(statistics.PolicyLag!.Value.Mean);
            snapshots.Add(learner.Snapshot());
        }

        output.WriteLine($"{(run.SolvedAtStep is null ? "not solved" : "solved")} after {step} steps, best last-20 mean {run.BestMean:F1}, mean lag {lags.Skip(4).DefaultIfEmpty().Average():F2}, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(2.5, lags.Skip(4).Average(), 3); // once warmed up: lags 1, 2, 3, 4 over equal-sized segments.
        Assert.True(run.SolvedAtStep is not null, $"APPO on stale segments reached a best last-20 mean of {run.BestMean:F1}.");
    }
}
