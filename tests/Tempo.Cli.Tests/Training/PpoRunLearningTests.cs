using Tempo.Cli.Tests.Commands;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;

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
        var settings = new RunSettings
        {
            Env = "CartPole-v1",
            Seed = 1,
            TargetReturn = 195,
            RunDirectory = _directory.File("cartpole"),
            Collection = new CollectionOptions { TotalTimesteps = 50_000 },
        };
        var announced = new List<string>();

        var outcome = Trainer.Train(EnvRegistry.CreateDefault(), settings, new RunHooks { Announce = announced.Add });

        Assert.True(outcome.SolvedAt is not null, $"not solved: last-20 mean {outcome.ReturnMean} after {outcome.GlobalStep} steps");
        Assert.InRange(outcome.SolvedAt.Value.GlobalStep, 1, 50_000);
        Assert.True(outcome.ReturnMean >= 195);
        Assert.Single(announced);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Run_CatchOnSmallFramesWithTheCnnRecipe_LearnsToCatch()
    {
        // Catch on 36×36 frames (the Nature CNN's smallest), composed as `tempo train --env Catch-v0` composes it, with
        // ppo_atari.py's defaults but 32-step rollouts (more updates per step). A random policy averages −0.6 (it catches
        // one ball in five). Seed 1 reaches a last-20 mean of 0.9 at 5,976 steps (seeds 1–6: 5.2k–7.6k steps, 2–7 s).
        var registry = EnvRegistry.CreateDefault();
        registry.Register(EnvSpec.Create<byte, int, CatchOptions>(
            "SmallCatch-v0", options => new Catch(options with { FrameHeight = 36, FrameWidth = 36 }), maxEpisodeSteps: null));
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec("SmallCatch-v0"));
        var settings = defaults with
        {
            Seed = 1,
            TargetReturn = 0.9,
            RunDirectory = _directory.File("catch"),
            Collection = defaults.Collection with { TotalTimesteps = 20_000, NumSteps = 32 },
        };

        var outcome = Trainer.Train(registry, settings);

        Assert.True(outcome.SolvedAt is not null, $"not solved: last-20 mean {outcome.ReturnMean} after {outcome.GlobalStep} steps");
        Assert.InRange(outcome.SolvedAt.Value.GlobalStep, 1, 20_000);

        // The run stops at the end of the iteration it was solved in; the sampling policy's later episodes stay far above random.
        Assert.True(outcome.ReturnMean > 0, $"last-20 mean {outcome.ReturnMean} when the run stopped");
    }
}
