using Tempo.Algorithms.Learners;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Tests.Metrics;

namespace Tempo.Runtime.Tests.Runs;

/// <summary>A replay learner's run through the public run, as the DQN, SAC and discrete-SAC run tests take it: the recipe's defaults in a fresh run folder, then training, a greedy evaluation of two episodes and a resume to a longer budget.</summary>
internal sealed class ReplayRunFixture : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    /// <summary>The default registry the runs make their envs from.</summary>
    public EnvRegistry Registry { get; } = EnvRegistry.CreateDefault();

    /// <summary>The recipe's defaults for <paramref name="env"/> trained by <paramref name="algorithm"/>, in a run folder named <paramref name="folder"/>.</summary>
    public RunSettings Defaults(string env, string algorithm, string folder) =>
        ActorCriticRecipes.Defaults(Registry.GetSpec(env), algorithm) with { RunDirectory = _directory.File(folder) };

    /// <summary>
    /// Asserts that the recipe's defaults for <paramref name="env"/> trained by <paramref name="algorithm"/> are the script's:
    /// <paramref name="expected"/>'s settings, these widths and this collection; and that their config reads back as the same settings.
    /// </summary>
    public static void AssertScriptDefaults(string env, string algorithm, IAlgorithm expected, int[] hiddenSizes, (int NumEnvs, int NumSteps, long TotalTimesteps) collection)
    {
        var registry = EnvRegistry.CreateDefault();
        var settings = ActorCriticRecipes.Defaults(registry.GetSpec(env), algorithm);

        Assert.Equal(expected, settings.Algorithm);
        Assert.Equal(hiddenSizes, settings.Model.HiddenSizes);
        Assert.Equal(collection, (settings.Collection.NumEnvs, settings.Collection.NumSteps, settings.Collection.TotalTimesteps));
        var config = RunConfig.Serialize(settings);
        Assert.Equal(config, RunConfig.Serialize(RunConfig.Resolve(registry, [ConfigLayer.Parse(config, "the test")])));
    }

    /// <summary>Trains <paramref name="settings"/>, evaluates the checkpoint greedily for two episodes, and resumes it to <paramref name="resumedSteps"/> steps when given.</summary>
    public TrainedRun Train(RunSettings settings, long? resumedSteps = null)
    {
        var first = Trainer.Train(Registry, settings);
        var checkpoint = CheckpointFile.ReadMetadata(first.CheckpointPath);
        var evaluation = Evaluator.Evaluate(Registry, first.RunDirectory, new EvaluationSettings { Episodes = 2 });
        var resumed = resumedSteps is { } steps
            ? Trainer.Train(Registry, settings with { ResumeFrom = first.CheckpointPath, Collection = settings.Collection with { TotalTimesteps = steps } })
            : null;
        return new TrainedRun(first, checkpoint, evaluation, resumed);
    }

    public void Dispose() => _directory.Dispose();
}

/// <summary>What <see cref="ReplayRunFixture.Train"/> produced.</summary>
/// <param name="First">The first run's outcome.</param>
/// <param name="Checkpoint">Its checkpoint's metadata.</param>
/// <param name="Evaluation">The greedy evaluation of its checkpoint.</param>
/// <param name="Resumed">The resumed run's outcome, when one was asked for.</param>
internal sealed record TrainedRun(RunOutcome First, TrainingCheckpoint Checkpoint, EvaluationOutcome Evaluation, RunOutcome? Resumed)
{
    /// <summary>The resumed run's checkpoint's policy version.</summary>
    public long ResumedPolicyVersion => CheckpointFile.ReadMetadata(Resumed!.CheckpointPath).PolicyVersion;
}
