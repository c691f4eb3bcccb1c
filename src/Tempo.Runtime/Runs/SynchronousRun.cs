using Tempo.Algorithms.Experience;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Nn.Kernels;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Runs.Checkpointing;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Schedules;

namespace Tempo.Runtime.Runs;

/// <summary>A synchronous run: one actor steps <c>num-envs</c> envs for <c>num-steps</c>, the envs pause if they can, the learner trains, the envs resume (CleanRL's loop).</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
internal sealed class SynchronousRun<TObservation, TAction>(RunContext context, ActorCriticRecipe<TObservation, TAction> recipe)
    : RunComposition<TObservation, TAction>(context, recipe)
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <inheritdoc/>
    public override RunOutcome Run()
    {
        var collection = Settings.Collection;
        var envs = MakeEnvs(collection.NumEnvs);
        using var vector = new SyncVectorEnv<TObservation, TAction>(envs);
        var liveEnvs = LiveEnvs(envs);
        var model = ModelSpecFor(envs[0]);
        var policyRandom = Stream(1);
        var learnerRandom = Stream(2);

        // One set of kernel threads for both models: the synchronous schedule never acts and learns at the same time.
        // A live world that keeps running during updates keeps a core for its own clock thread.
        var kernelThreads = Math.Min(Recipe.KernelThreads, Environment.ProcessorCount);
        if (liveEnvs.Length > 0 && !Settings.Pause)
        {
            kernelThreads = 1;
        }

        using var parallelism = kernelThreads > 1 ? new KernelParallelism(kernelThreads) : null;
        var learner = Settings.Algorithm.CreateLearner(model.Create<TObservation, TAction>(envs[0].ObservationSpace, new RandomSource(Settings.Seed), parallelism), Settings.LearnerShape, learnerRandom);
        var actingModel = model.Create<TObservation, TAction>(envs[0].ObservationSpace, policyRandom, parallelism);
        ICheckpointPart[] parts =
        [
            new ActorCheckpointPart<TObservation, TAction>(RandomStreamKey.Policy, policyRandom, envs, firstEnv: 0, read => read(), streamRequired: true),
        ];

        // A resumed run restores everything learned and continues the counters; its envs start fresh episodes.
        Restore(learner, parts);
        PrepareFolder();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Context.CancellationToken);
        using var sinks = RunFolder.OpenMetrics(Settings.RunDirectory, Context.Resumed is not null, Context.Hooks.Time, Context.Hooks.Progress);
        var monitor = CreateMonitor(sinks, stop, liveEnvs, enrich: null, reportInterval: TimeSpan.Zero);
        var actor = new Actor<TObservation, TAction>(new ActorId(0), vector, actingModel, monitor);
        using var writer = new BackgroundCheckpointWriter();
        var checkpointer = CreateCheckpointer(writer, learner, model, parts, monitor, () => actor.Steps);
        actor.Start(Context.FirstEnvSeed);
        var schedule = new SynchronousSchedule<TObservation, TAction>(
            [actor],
            learner,
            new SynchronousScheduleOptions
            {
                Iterations = Math.Max(0, Settings.LearnerShape.Updates - learner.Progress.Updates),
                StepsPerRollout = collection.NumSteps,
                PauseDuringUpdates = Settings.Pause,
            },
            Callbacks(monitor, checkpointer));
        if (liveEnvs.Length > 0)
        {
            CollectSetupGarbage();
        }

        schedule.Run(stop.Token);
        checkpointer.SaveNow();
        writer.Flush();
        return Outcome(monitor, schedule.GlobalStep);
    }
}
