using System.Diagnostics;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Sac;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Spaces;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Schedules;
using Xunit.Abstractions;

namespace Tempo.Algorithms.Tests.Sac;

[Trait("Category", "Slow")]
public sealed class SacPendulumTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Sac_Pendulum_WithCleanRlDefaults_ReachesMinus200(int seed)
    {
        // sac_continuous_action.py's defaults reach −200 by ~10–15k steps; 30k leaves room for a slow seed.
        var options = new SacOptions();
        const long budget = 30_000;
        using var run = new PendulumRun(target: -200, window: 10);
        var env = new RecordEpisodeStatistics<float, float>(EnvRegistry.CreateDefault().Make<float, float>("Pendulum-v1"));
        var box = (BoxSpace<float>)env.ActionSpace;
        var learner = new SacLearner(
            new SacActor(3, 1, [256, 256], new Random(seed)),
            new SoftQNetwork(3, 1, [256, 256], new Random(seed + 10)),
            new SoftQNetwork(3, 1, [256, 256], new Random(seed + 20)),
            box.Low,
            box.High,
            options,
            new RandomSource(seed));
        var policy = new SacPolicy(new SacActor(3, 1, [256, 256], new Random(seed)), box.Low, box.High, options, new Random(seed + 100));
        using var vector = new SyncVectorEnv<float, float>([env]);
        var actor = new Actor<float, float>(new ActorId(0), vector, policy, run);
        actor.Start(seed);
        var schedule = new SynchronousSchedule<float, float>(
            [actor], learner, new SynchronousScheduleOptions { Iterations = budget, StepsPerRollout = 1 }, run);

        var clock = Stopwatch.StartNew();
        schedule.Run(run.Solved);

        output.WriteLine($"seed {seed}: best last-10 mean {run.BestMean:F1}, reached −200 at {run.SolvedAtStep} steps, {clock.Elapsed.TotalSeconds:F1} s, α {learner.Alpha:F3}");
        Assert.True(run.SolvedAtStep is not null, $"SAC (seed {seed}) reached a best last-10 mean of {run.BestMean:F1} in {budget} steps.");
    }

    private sealed class PendulumRun(double target, int window) : ITrainingCallbacks, IDisposable
    {
        private readonly List<double> _returns = [];
        private readonly CancellationTokenSource _solved = new();

        public CancellationToken Solved => _solved.Token;

        public double BestMean { get; private set; } = double.NegativeInfinity;

        public long? SolvedAtStep { get; private set; }

        public void OnEpisodeEnded(in EpisodeEnded episode)
        {
            _returns.Add(episode.Statistics.Return);
            if (_returns.Count < window)
            {
                return;
            }

            var mean = _returns.Skip(_returns.Count - window).Average();
            BestMean = Math.Max(BestMean, mean);
            if (mean >= target && SolvedAtStep is null)
            {
                SolvedAtStep = episode.Step;
                _solved.Cancel();
            }
        }

        public void Dispose() => _solved.Dispose();
    }
}
