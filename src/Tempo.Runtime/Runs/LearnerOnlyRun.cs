using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Hosts;
using Tempo.Runtime.Hosts.Remote;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Schedules;

namespace Tempo.Runtime.Runs;

/// <summary>The learner half of an asynchronous run, in a process of its own: a learner host fed by a remote transport, with the run's metrics and checkpoints.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// The same learner, metrics and checkpoints as <see cref="AsynchronousRun{TObservation, TAction}"/>; only where segments
/// come from differs. A resumed learner continues its step count, policy version and optimizer state; the segments it
/// reads were collected by actors that never stopped.
/// </remarks>
internal sealed class LearnerOnlyRun<TObservation, TAction>(RunContext context, ActorCriticRecipe<TObservation, TAction> recipe, ILearnerTransportFactory factory)
    : RunComposition<TObservation, TAction>(context, recipe)
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private static readonly TimeSpan _reportInterval = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public override RunOutcome Run()
    {
        // One env shows the spaces; the learner steps none.
        var env = MakeEnvs(1)[0];
        var (observationSpace, actionSpace) = (env.ObservationSpace, env.ActionSpace);
        var model = ModelSpecFor(env);
        env.Dispose();
        var learner = RunAgents.CreateLearner<TObservation, TAction>(Settings, model, observationSpace, actionSpace, Stream(2), parallelism: null);
        Restore(learner, []);

        var collection = Settings.Collection;
        var layout = new Algorithms.Experience.SegmentLayout(collection.NumSteps, collection.NumEnvs, observationSpace.FlatSize, actionSpace.FlatSize);
        var shape = new TransportShape(layout, learner.Snapshot().WeightCount, observationSpace, actionSpace, model, Settings.Async.QueueCapacity + 4)
        {
            LearnerVersion = learner.Version,
        };
        using var transport = factory.OpenLearner<TObservation, TAction>(shape);
        PrepareFolder();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Context.CancellationToken);
        using var sinks = RunFolder.OpenMetrics(Context.RunDirectory, Context.Resumed is not null, Context.Hooks.Time, Context.Hooks.Progress);
        LearnerHost<TObservation, TAction>? host = null;
        var monitor = CreateMonitor(sinks, stop, [], report =>
        {
            if (host is not null)
            {
                report.SegmentsDroppedStale = host.Statistics.Lag.DroppedStale;
            }
        }, _reportInterval);
        using var writer = new BackgroundCheckpointWriter();
        var checkpointer = CreateCheckpointer(writer, learner, model, [], monitor, () => host?.GlobalStep ?? 0);
        var remaining = collection.TotalTimesteps - StepOffset;
        if (remaining > 0)
        {
            host = new LearnerHost<TObservation, TAction>(
                learner,
                transport.Pool,
                transport.Reader,
                transport.Publisher,
                new CompositeTrainingCallbacks(transport.Callbacks, Callbacks(monitor, checkpointer)),
                new LearnerHostOptions { SegmentsPerUpdate = Settings.Async.SegmentsPerUpdate, MaxPolicyLag = Settings.Async.MaxPolicyLag, TotalSteps = remaining, LowerPriority = false });
            var running = host;
            transport.Start(() =>
            {
                var statistics = running.Statistics;
                return new LearnerProcessProgress(StepOffset + running.GlobalStep, learner.Version, statistics.Updates, statistics.SegmentsRead, statistics.Lag.DroppedStale);
            });
            host.Run(stop.Token);
            monitor.Flush();
        }

        checkpointer.SaveNow();
        writer.Flush();

        // Actors stop only for a run that is over, not for a learner that was interrupted and will be resumed.
        if (!Context.CancellationToken.IsCancellationRequested || monitor.IsSolved)
        {
            transport.Finish();
        }

        return Outcome(monitor, host?.GlobalStep ?? 0);
    }
}
