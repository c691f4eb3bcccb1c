using Tempo.Algorithms.Ppo;
using Tempo.Cli.Tests.Commands;
using Tempo.Cli.Training;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Metrics;

namespace Tempo.Cli.Tests.Training;

/// <summary>CleanRL-style learning smoke tests: the whole PPO stack, composed as <c>tempo train</c> composes it, learns.</summary>
public sealed class PpoRunLearningTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public void Run_CartPoleWithCleanRlDefaults_Reaches195Within50kSteps()
    {
        // Seed 1 reaches a last-20 mean of 195 at about 22.5k steps (seeds 1–6: 17k–24k), well inside the budget.
        var settings = new TrainSettings
        {
            Env = "CartPole-v1",
            Seed = 1,
            TargetReturn = 195,
            RunDir = _directory.File("cartpole"),
            Ppo = new PpoOptions { TotalTimesteps = 50_000 },
        };
        var announced = new List<string>();
        using var progress = new ConsoleProgressSink(TextWriter.Null, redrawInPlace: false, TimeProvider.System);

        var outcome = PpoRun.Run(EnvRegistry.CreateDefault(), settings, progress, announced.Add, TimeProvider.System, resumeFrom: null, CancellationToken.None);

        Assert.True(outcome.SolvedAt is not null, $"not solved: last-20 mean {outcome.ReturnMean} after {outcome.GlobalStep} steps");
        Assert.InRange(outcome.SolvedAt.Value.GlobalStep, 1, 50_000);
        Assert.True(outcome.ReturnMean >= 195);
        Assert.Single(announced);
    }
}
