using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Runs;

/// <summary>The one way to train: composes envs, model, learner, schedule, metrics and checkpoints from <see cref="RunSettings"/> and runs them.</summary>
/// <remarks>
/// <para>The CLI's <c>tempo train</c> is one caller; user code is another:</para>
/// <code>
/// var registry = EnvRegistry.CreateDefault();
/// registry.Register(EnvSpec.Create("Corridor-v0", () => new Corridor(), maxEpisodeSteps: 100));
/// var outcome = Trainer.Train(registry, ActorCriticRecipes.Defaults(registry.GetSpec("Corridor-v0")) with { TargetReturn = 0.9 });
/// </code>
/// <para>Everything that can refuse a run (settings that contradict each other, a checkpoint of another env,
/// algorithm or network, a run folder that holds another run) refuses it before anything is written to the run folder.</para>
/// </remarks>
public static class Trainer
{
    /// <summary>Trains as <paramref name="settings"/> say and returns what happened; a checkpoint is written at the end, also when cancelled.</summary>
    /// <param name="registry">Where the env is registered.</param>
    /// <param name="settings">The run's settings.</param>
    /// <param name="hooks">A progress display, a line printer, the clock and callbacks; null for none.</param>
    /// <param name="cancellationToken">Stops the run between steps (sync: between iterations); the checkpoint still holds everything learned.</param>
    /// <exception cref="ArgumentException">A setting is invalid or contradicts another, or the checkpoint to resume was written by another kind of run.</exception>
    /// <exception cref="InvalidDataException">The checkpoint to resume is corrupt.</exception>
    /// <exception cref="RunFolderException">The run folder holds another run (and neither resumes nor overwrites it), is a file, or cannot be written.</exception>
    public static RunOutcome Train(EnvRegistry registry, RunSettings settings, RunHooks? hooks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        TrainingCheckpoint? resumed = null;
        if (settings.ResumeFrom is { } path)
        {
            resumed = CheckpointFile.ReadMetadata(path);
            RequireResumable(registry, resumed, path, settings);
        }

        hooks ??= new RunHooks();
        var isDefaultFolder = settings.RunDirectory is null;
        settings = settings with { RunDirectory = RunFolder.Choose(settings, hooks.Time) };
        var context = new RunContext(registry, settings, hooks, resumed, isDefaultFolder, cancellationToken);
        return ActorCriticRecipes.Dispatch(registry, settings, new Composer(context));
    }

    /// <summary>Throws naming every mismatch unless <paramref name="checkpoint"/> was written by a run that <paramref name="settings"/> can continue.</summary>
    /// <remarks>
    /// The algorithm, the env and the network's widths must match: another algorithm would read weights and optimizer
    /// moments trained for a different loss as if they were its own, and another env or network has other shapes.
    /// Other settings (learning rate, budget, actors, envs per actor, …) may change on resume.
    /// </remarks>
    internal static void RequireResumable(EnvRegistry registry, TrainingCheckpoint checkpoint, string path, RunSettings settings)
    {
        var recorded = RunConfig.Resolve(registry, [ConfigLayer.Parse(checkpoint.Config, $"the config stored in {path}")]);
        var mismatches = new List<string>();
        if (recorded.Algorithm.Name != settings.Algorithm.Name)
        {
            mismatches.Add($"algo: the checkpoint was trained with {recorded.Algorithm.Name}, this run asks for {settings.Algorithm.Name} (--algo)");
        }

        if (!string.Equals(recorded.Env, settings.Env, StringComparison.Ordinal))
        {
            mismatches.Add($"env: the checkpoint was trained on {recorded.Env}, this run asks for {settings.Env} (--env)");
        }

        if (!recorded.Model.HiddenSizes.SequenceEqual(settings.Model.HiddenSizes))
        {
            mismatches.Add($"model shape: the checkpoint's hidden sizes are [{string.Join(", ", recorded.Model.HiddenSizes)}], this run asks for [{string.Join(", ", settings.Model.HiddenSizes)}] (--hidden-sizes)");
        }

        if (mismatches.Count > 0)
        {
            throw new ArgumentException($"Cannot resume from {path}: {string.Join("; ", mismatches)}. Resume with the checkpoint's settings or start a new run in another folder.");
        }
    }

    private sealed class Composer(RunContext context) : IRecipeVisitor<RunOutcome>
    {
        public RunOutcome Visit<TObservation, TAction>(ActorCriticRecipe<TObservation, TAction> recipe)
            where TObservation : unmanaged
            where TAction : unmanaged =>
            context.Settings.Schedule == ScheduleKind.Asynchronous
                ? new AsynchronousRun<TObservation, TAction>(context, recipe).Run()
                : new SynchronousRun<TObservation, TAction>(context, recipe).Run();
    }
}
