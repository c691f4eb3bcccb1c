using Tempo.Algorithms.Dqn;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Tests.Metrics;

namespace Tempo.Runtime.Tests.Runs;

/// <summary>DQN through the public run: dqn.py's defaults from the recipe, training, greedy evaluation and resume from its checkpoint, and envs it cannot train refused.</summary>
public sealed class DqnRunTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Defaults_AreDqnPy() =>
        ReplayRunFixture.AssertScriptDefaults("CartPole-v1", "dqn", new DqnOptions(), [120, 84], (1, 10, 500_000L));

    [Fact]
    public void Train_Evaluate_Resume_OnCartPole()
    {
        using var runs = new ReplayRunFixture();
        var defaults = runs.Defaults("CartPole-v1", "dqn", "dqn");
        var settings = defaults with
        {
            Algorithm = new DqnOptions { LearningStarts = 1_000, Dueling = true, DoubleDqn = true, NStep = 3, PrioritizedReplay = true },
            Collection = defaults.Collection with { TotalTimesteps = 5_000 },
        };

        var run = runs.Train(settings, resumedSteps: 6_000);

        Assert.Equal(5_000, run.First.GlobalStep);

        // (5000 − 1000) / 10 gradient steps, one policy version each.
        Assert.Equal(400, run.Checkpoint.PolicyVersion);
        Assert.Equal(ModelKind.QMlp, run.Evaluation.Model.Kind);
        Assert.Equal(2, run.Evaluation.Episodes.Count);
        Assert.Equal(6_000, run.Resumed!.GlobalStep);
        Assert.Equal(500, run.ResumedPolicyVersion);
    }

    [Fact]
    public void Resume_WithCheckpointReplay_ContinuesFromTheSavedBuffer()
    {
        var registry = EnvRegistry.CreateDefault();
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec("CartPole-v1"), "dqn");
        var runDirectory = _directory.File("dqn-replay");
        var settings = defaults with
        {
            RunDirectory = runDirectory,
            Algorithm = new DqnOptions { LearningStarts = 1_000, CheckpointReplay = true },
            Collection = defaults.Collection with { TotalTimesteps = 3_000 },
        };

        var first = Trainer.Train(registry, settings);
        var replayPath = RunFolder.ReplayPath(first.CheckpointPath);
        var saved = new DqnLearner(new QNetwork(4, 2, [120, 84], dueling: false, new Random(1)), (DqnOptions)settings.Algorithm, 3_000, new Core.Seeding.RandomSource(1));
        using (var stream = File.OpenRead(replayPath))
        {
            saved.LoadReplay(stream);
        }

        var resumed = Trainer.Train(registry, settings with { ResumeFrom = first.CheckpointPath, Collection = settings.Collection with { TotalTimesteps = 4_000 } });
        var continued = new DqnLearner(new QNetwork(4, 2, [120, 84], dueling: false, new Random(1)), (DqnOptions)settings.Algorithm, 4_000, new Core.Seeding.RandomSource(1));
        using (var stream = File.OpenRead(replayPath))
        {
            continued.LoadReplay(stream);
        }

        // 3,000 steps saved, and the resumed run's 1,000 added to them rather than to an empty buffer.
        Assert.Equal(3_000, saved.Replay.StepsAdded);
        Assert.Equal(4_000, resumed.GlobalStep);
        Assert.Equal(4_000, continued.Replay.StepsAdded);

        File.Delete(replayPath);
        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(registry, settings with { ResumeFrom = resumed.CheckpointPath, Collection = settings.Collection with { TotalTimesteps = 5_000 } }));
        Assert.Contains("replay.tempo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ContinuousActions_IsRefusedNamingTheSpaces()
    {
        var registry = EnvRegistry.CreateDefault();
        var error = Assert.Throws<ArgumentException>(() => ActorCriticRecipes.Defaults(registry.GetSpec("Pendulum-v1"), "dqn"));
        Assert.Contains("Pendulum-v1", error.Message, StringComparison.Ordinal);

        var settings = new RunSettings { Env = "Pendulum-v1", Algorithm = new DqnOptions(), RunDirectory = _directory.File("run") };
        Assert.Contains("discrete actions", Assert.Throws<ArgumentException>(() => Trainer.Train(registry, settings)).Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(settings.RunDirectory));
    }

    [Fact]
    public void Train_BadSetting_NamesTheFlagAndValue()
    {
        var settings = new RunSettings { Env = "CartPole-v1", Algorithm = new DqnOptions { Tau = 2 }, RunDirectory = _directory.File("run") };
        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(EnvRegistry.CreateDefault(), settings));
        Assert.Contains("tau", error.Message, StringComparison.Ordinal);
        Assert.Contains("2", error.Message, StringComparison.Ordinal);
    }
}
