using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Impala;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Spaces;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Tests.Metrics;

namespace Tempo.Runtime.Tests.Runs;

/// <summary>The public run: a user's env trained and evaluated in a few lines, settings that contradict each other refused, resumes refused before anything is written.</summary>
public sealed class TrainerTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Train_UserEnvFromTheRegistry_LearnsAndEvaluatesFromItsCheckpoint()
    {
        var registry = RegistryWithCorridor();
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec(Corridor.Id));
        var settings = defaults with
        {
            RunDirectory = _directory.File("corridor"),
            TargetReturn = 0.95,
            Collection = defaults.Collection with { TotalTimesteps = 50_000, NumSteps = 32 },
        };

        var trained = Trainer.Train(registry, settings);
        var evaluation = Evaluator.Evaluate(registry, trained.RunDirectory, new EvaluationSettings { Episodes = 3 });

        Assert.NotNull(trained.SolvedAt);
        Assert.False(trained.Cancelled);
        Assert.Equal(Corridor.Id, evaluation.Env);
        Assert.Equal(ModelKind.CategoricalMlp, evaluation.Model.Kind);
        Assert.Equal([1], evaluation.Model.ObservationShape);
        Assert.Equal(2, evaluation.Model.Actions);
        Assert.All(evaluation.Episodes, e => Assert.Equal(1, e.Return));
        var checkpoint = CheckpointFile.ReadMetadata(trained.CheckpointPath);
        Assert.Equal(Corridor.Id, checkpoint.Env);
        Assert.True(checkpoint.WallTimeSeconds > 0);
    }

    [Fact]
    public void Evaluate_SampledActions_VaryBetweenEpisodesWhereGreedyOnesRepeat_AndRepeatForTheSameSeed()
    {
        // Corridor has no randomness of its own, so greedy episodes are identical; a barely trained policy still puts
        // real probability on both moves, so sampled episodes wander and their lengths differ.
        var registry = RegistryWithCorridor();
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec(Corridor.Id));
        var trained = Trainer.Train(registry, defaults with { RunDirectory = _directory.File("run"), Collection = defaults.Collection with { TotalTimesteps = 512 } });
        var sampled = new EvaluationSettings { Episodes = 20, Selection = ActionSelection.Sample };

        var greedy = Evaluator.Evaluate(registry, trained.RunDirectory, new EvaluationSettings { Episodes = 20 });
        var first = Evaluator.Evaluate(registry, trained.RunDirectory, sampled);
        var again = Evaluator.Evaluate(registry, trained.RunDirectory, sampled);

        Assert.Single(greedy.Episodes.Select(e => e.Length).Distinct());
        Assert.True(first.Episodes.Select(e => e.Length).Distinct().Count() > 1, $"sampled lengths: {string.Join(", ", first.Episodes.Select(e => e.Length))}");
        Assert.Equal(first.Episodes.Select(e => e.Length), again.Episodes.Select(e => e.Length));
    }

    [Fact]
    public void Evaluate_EnvNotRegistered_SaysWhichEnvAndHowToRegisterIt()
    {
        var registry = RegistryWithCorridor();
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec(Corridor.Id));
        var trained = Trainer.Train(registry, defaults with { RunDirectory = _directory.File("run"), Collection = defaults.Collection with { TotalTimesteps = 512 } });

        var error = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(EnvRegistry.CreateDefault(), trained.RunDirectory));

        Assert.Contains($"was trained on {Corridor.Id}, which is not registered here", error.Message);
        Assert.Contains("--env-assembly", error.Message);
    }

    [Fact]
    public void Evaluate_EnvWhoseSpacesChanged_SaysHowTheNetworksDiffer()
    {
        var registry = RegistryWithCorridor();
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec(Corridor.Id));
        var trained = Trainer.Train(registry, defaults with { RunDirectory = _directory.File("run"), Collection = defaults.Collection with { TotalTimesteps = 512 } });
        var changed = new EnvRegistry();
        changed.Register(EnvSpec.Create(Corridor.Id, () => new Corridor(actions: 3), maxEpisodeSteps: 50));

        var error = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(changed, trained.RunDirectory));

        Assert.Contains("2 vs 3 actions", error.Message);
    }

    [Fact]
    public void Train_PpoOnTheAsyncSchedule_IsRefused()
    {
        var settings = new RunSettings { Env = "CartPole-v1", Schedule = ScheduleKind.Asynchronous, RunDirectory = _directory.File("run") };

        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(EnvRegistry.CreateDefault(), settings));

        Assert.Contains("ppo is on-policy and runs on the sync schedule", error.Message);
        Assert.False(Directory.Exists(settings.RunDirectory));
    }

    [Theory]
    [InlineData(4, 3, "must divide the batch size 512")]
    [InlineData(1, 4, "num-minibatches (--num-minibatches) must not exceed the 1 env trajectories")]
    public void Train_MinibatchesThatDoNotFitTheBatch_AreRefusedNotClamped(int numEnvs, int numMinibatches, string named)
    {
        var algorithm = numMinibatches == 4 ? (Algorithms.Learners.IActorCriticAlgorithm)new AppoOptions { NumMinibatches = numMinibatches } : new PpoOptions { NumMinibatches = numMinibatches };
        var settings = new RunSettings
        {
            Env = "CartPole-v1",
            Algorithm = algorithm,
            Schedule = algorithm is PpoOptions ? ScheduleKind.Synchronous : ScheduleKind.Asynchronous,
            Collection = new CollectionOptions { NumEnvs = numEnvs },
            RunDirectory = _directory.File("run"),
        };

        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(EnvRegistry.CreateDefault(), settings));

        Assert.Contains(named, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(settings.RunDirectory));
    }

    [Fact]
    public void Train_BudgetShorterThanOneRollout_IsRefused()
    {
        var settings = new RunSettings { Env = "CartPole-v1", Collection = new CollectionOptions { TotalTimesteps = 100 }, RunDirectory = _directory.File("run") };

        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(EnvRegistry.CreateDefault(), settings));

        Assert.Contains("total-timesteps (100) must cover at least one batch of 512 steps", error.Message);
    }

    [Fact]
    public void Train_ResumeWithAnotherAlgorithm_IsRefusedBeforeTheFolderChanges()
    {
        var registry = EnvRegistry.CreateDefault();
        var runDirectory = _directory.File("run");
        var first = Trainer.Train(registry, new RunSettings { Env = "CartPole-v1", RunDirectory = runDirectory, Collection = new CollectionOptions { TotalTimesteps = 512 } });
        var before = Snapshot(runDirectory);

        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(
            registry,
            new RunSettings { Env = "CartPole-v1", Algorithm = new ImpalaOptions(), RunDirectory = runDirectory, ResumeFrom = first.CheckpointPath }));

        Assert.StartsWith($"Cannot resume from {first.CheckpointPath}: algo: the checkpoint was trained with ppo, this run asks for impala", error.Message);
        Assert.Equal(before, Snapshot(runDirectory));
    }

    [Fact]
    public void Train_ResumeWithAnotherNetworkShape_IsRefusedBeforeTheFolderChanges()
    {
        var registry = EnvRegistry.CreateDefault();
        var runDirectory = _directory.File("run");
        var first = Trainer.Train(registry, new RunSettings { Env = "CartPole-v1", RunDirectory = runDirectory, Collection = new CollectionOptions { TotalTimesteps = 512 } });
        var before = Snapshot(runDirectory);

        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(
            registry,
            new RunSettings { Env = "CartPole-v1", Model = new ModelOptions { HiddenSizes = [32] }, RunDirectory = runDirectory, ResumeFrom = first.CheckpointPath }));

        Assert.Contains("model shape: the checkpoint's hidden sizes are [64, 64], this run asks for [32]", error.Message);
        Assert.Equal(before, Snapshot(runDirectory));
    }

    [Fact]
    public void Train_Resume_ContinuesEpisodesWallTimeAndSteps()
    {
        var registry = EnvRegistry.CreateDefault();
        var runDirectory = _directory.File("run");
        var first = Trainer.Train(registry, new RunSettings { Env = "CartPole-v1", RunDirectory = runDirectory, Collection = new CollectionOptions { TotalTimesteps = 2048 } });
        var saved = CheckpointFile.ReadMetadata(first.CheckpointPath);

        var second = Trainer.Train(
            registry,
            new RunSettings { Env = "CartPole-v1", RunDirectory = runDirectory, ResumeFrom = first.CheckpointPath, Collection = new CollectionOptions { TotalTimesteps = 4096 } });
        var resumed = CheckpointFile.ReadMetadata(second.CheckpointPath);

        Assert.Equal(4096, second.GlobalStep);
        Assert.True(second.Episodes > first.Episodes);
        Assert.Equal(second.Episodes, resumed.Episodes);
        Assert.True(resumed.WallTimeSeconds > saved.WallTimeSeconds);
        Assert.Equal(8, resumed.Updates);
    }

    [Fact]
    public void TrainingCheckpoint_MissingStream_FailsNamingTheStreamsItHas()
    {
        var checkpoint = new TrainingCheckpoint
        {
            Config = "{}",
            GlobalStep = 0,
            Updates = 0,
            PolicyVersion = 0,
            Episodes = 0,
            RandomStates = new Dictionary<string, Core.Seeding.RandomSourceState> { ["learner"] = default },
        };

        var error = Assert.Throws<InvalidDataException>(() => checkpoint.RequireRandomState(RandomStreamKey.Policy));

        Assert.Contains("no 'policy' random state", error.Message);
        Assert.Contains("'learner'", error.Message);
    }

    private static Dictionary<string, byte[]> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

    private static EnvRegistry RegistryWithCorridor()
    {
        var registry = EnvRegistry.CreateDefault();
        registry.Register(EnvSpec.Create(Corridor.Id, () => new Corridor(), maxEpisodeSteps: 50));
        return registry;
    }

    /// <summary>A user's env: eight cells, start in the middle, reach the right end (+1) before the left end (−1).</summary>
    private sealed class Corridor(int actions = 2) : Env<float, int>(new BoxSpace<float>(0f, 1f, 1), new DiscreteSpace(actions))
    {
        public const string Id = "Corridor-v0";
        private int _position;

        protected override void ResetCore(Span<float> observation) => observation[0] = (_position = 4) / 7f;

        protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
        {
            _position += action[0] == 1 ? 1 : -1;
            observation[0] = _position / 7f;
            return _position == 7 ? new(1f, true, false) : _position == 0 ? new(-1f, true, false) : new(0f, false, false);
        }
    }
}
