using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Hosts.Remote;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Runs;

/// <summary>Runs one half of an asynchronous run in this process, the other half being elsewhere behind a remote transport: a fleet's learner, or some of its actors.</summary>
/// <remarks>
/// <para>The counterpart of <see cref="Trainer"/>, which runs both halves in one process. With a Redis fleet (<c>Tempo.Redis</c>):</para>
/// <code>
/// using var fleet = RedisFleet.Connect(RedisUrl.Parse("redis://localhost:6379"), "cartpole");
/// HostRuns.Learn(registry, settings, fleet.LearnerTransport(settings));                          // the learner machine
/// HostRuns.Act(registry, fleet.ReadSettings(registry, TimeSpan.FromMinutes(1)), fleet.ActorTransport(), actors: 1);  // each game machine
/// </code>
/// </remarks>
public static class HostRuns
{
    /// <summary>Trains on the segments <paramref name="transport"/> delivers and publishes every new policy through it; metrics and checkpoints as <see cref="Trainer.Train"/> writes them.</summary>
    /// <param name="registry">Where the env is registered (the learner builds one env to learn its spaces).</param>
    /// <param name="settings">The run's settings; any algorithm the asynchronous schedule trains (APPO, IMPALA, DQN, SAC).</param>
    /// <param name="transport">The learner's end of the fleet's transport.</param>
    /// <param name="hooks">Progress display, clock and callbacks; null for none.</param>
    /// <param name="cancellationToken">Stops the learner; the checkpoint still holds everything learned, and the fleet's actors keep acting.</param>
    /// <exception cref="ArgumentException">A setting is invalid, the algorithm is on-policy, or the checkpoint to resume does not fit.</exception>
    public static RunOutcome Learn(EnvRegistry registry, RunSettings settings, ILearnerTransportFactory transport, RunHooks? hooks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var context = Prepare(registry, settings, hooks, choosesFolder: true, cancellationToken);
        return ActorCriticRecipes.Dispatch(registry, context.Settings, new LearnerComposer(context, transport));
    }

    /// <summary>Acts with <paramref name="actors"/> actors of the run's envs until cancelled, until the fleet's run is over, or until every actor has failed for good.</summary>
    /// <param name="registry">Where the env is registered.</param>
    /// <param name="settings">The run's settings, as the learner published them.</param>
    /// <param name="transport">The actor process's end of the fleet's transport.</param>
    /// <param name="actors">Actors in this process, each driving <see cref="CollectionOptions.NumEnvs"/> envs on its own thread.</param>
    /// <param name="hooks">The clock; null for the system's.</param>
    /// <param name="cancellationToken">Stops the actors.</param>
    /// <returns>The env steps this process took and for how long; no episodes (the learner reports them).</returns>
    /// <exception cref="AggregateException">Every actor failed for good.</exception>
    public static RunOutcome Act(EnvRegistry registry, RunSettings settings, IActorTransportFactory transport, int actors, RunHooks? hooks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actors);
        var context = Prepare(registry, settings with { ResumeFrom = null }, hooks, choosesFolder: false, cancellationToken);
        return ActorCriticRecipes.Dispatch(registry, context.Settings, new ActorComposer(context, transport, actors));
    }

    // Only the learner writes a run folder (chosen and guarded as Trainer does); actors write none.
    private static RunContext Prepare(EnvRegistry registry, RunSettings settings, RunHooks? hooks, bool choosesFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        settings = settings with { Schedule = ScheduleKind.Asynchronous };
        settings.Validate();
        TrainingCheckpoint? resumed = null;
        if (settings.ResumeFrom is { } path)
        {
            resumed = CheckpointFile.ReadMetadata(path);
            Trainer.RequireResumable(registry, resumed, path, settings);
        }

        hooks ??= new RunHooks();
        var isDefaultFolder = settings.RunDirectory is null;
        if (choosesFolder)
        {
            settings = settings with { RunDirectory = RunFolder.Choose(settings, hooks.Time) };
        }

        return new RunContext(registry, settings, hooks, resumed, choosesFolder && isDefaultFolder, cancellationToken);
    }

    private sealed class LearnerComposer(RunContext context, ILearnerTransportFactory transport) : IRecipeVisitor<RunOutcome>
    {
        public RunOutcome Visit<TObservation, TAction>(ActorCriticRecipe<TObservation, TAction> recipe)
            where TObservation : unmanaged
            where TAction : unmanaged =>
            new LearnerOnlyRun<TObservation, TAction>(context, recipe, transport).Run();
    }

    private sealed class ActorComposer(RunContext context, IActorTransportFactory transport, int actors) : IRecipeVisitor<RunOutcome>
    {
        public RunOutcome Visit<TObservation, TAction>(ActorCriticRecipe<TObservation, TAction> recipe)
            where TObservation : unmanaged
            where TAction : unmanaged =>
            new ActorOnlyRun<TObservation, TAction>(context, recipe, transport, actors).Run();
    }
}
