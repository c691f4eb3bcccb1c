using Tempo.Algorithms.Dqn;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Tests.Metrics;
using Xunit.Abstractions;

namespace Tempo.Runtime.Tests.Runs;

/// <summary>DQN on the async schedule against a live world: actors act on the clock while the learner trains from replay at its replay ratio.</summary>
[Trait("Category", "Slow")]
public sealed class DqnLiveRunTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// A random policy's CartPole episodes last about 22 steps (standard deviation about 12), so a mean over 20 episodes
    /// has a standard deviation of about 2.7: 100 is more than 25 of those above what acting without learning gives.
    /// </summary>
    private const double LearnedReturn = 100;

    /// <summary>
    /// The three seeds of configs/dqn/livecartpole-async.json first reached 100 at 8k–12.5k steps on a busy 2-core machine; 30k
    /// steps leave more than twice that, and bound the run to 30k / (16 worlds × 50 Hz) = 37.5 s of world time.
    /// </summary>
    private const long Budget = 30_000;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Async_OnLiveCartPole_LearnsWhileTheWorldRuns()
    {
        var registry = EnvRegistry.CreateDefault();
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec("LiveCartPole-v1"), "dqn");

        // configs/dqn/livecartpole-async.json's settings (a test must not read the repository's configs, so they are repeated here).
        var settings = defaults with
        {
            RunDirectory = _directory.File("dqn-live"),
            Schedule = ScheduleKind.Asynchronous,
            Async = defaults.Async with { NumActors = 2 },
            Collection = new CollectionOptions { NumEnvs = 8, NumSteps = 4, TotalTimesteps = Budget },
            Model = new ModelOptions { HiddenSizes = [120, 84] },
            Algorithm = new DqnOptions
            {
                LearningRate = 1e-3,
                BufferSize = 100_000,
                TargetNetworkFrequency = 500,
                BatchSize = 128,
                // The preset's ε falls over 5% of 200k steps; over the shorter budget here, the same 10k steps.
                ExplorationFraction = 10_000.0 / Budget,
                LearningStarts = 1_000,
                ReplayRatio = 0.25,
                HuberLoss = true,
                MaxGradNorm = 10,
                DoubleDqn = true,
            },
            TargetReturn = LearnedReturn,
        };

        var outcome = Trainer.Train(registry, settings);

        output.WriteLine(outcome.Summary);
        Assert.True(outcome.SolvedAt is not null, $"async DQN did not reach a last-20 mean of {LearnedReturn} in {Budget} steps: {outcome.Summary}");
    }
}
