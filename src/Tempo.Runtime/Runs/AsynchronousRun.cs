using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Runs.Checkpointing;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Runs;

/// <summary>An asynchronous run: K actor threads (each with its own envs and policy copy) act while one learner (APPO, IMPALA) trains on their segments.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// Checkpoints hold the learner's state and each actor's (its sampling stream, its envs' normalizers), read at a
/// step boundary of that actor. Segments in flight are not saved: a resumed run's actors collect anew from the
/// restored policy version.
/// </remarks>
internal sealed class AsynchronousRun<TObservation, TAction>(RunContext context, ActorCriticRecipe<TObservation, TAction> recipe)
    : RunComposition<TObservation, TAction>(context, recipe)
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>The least time between two reports: actors hand over steps a segment at a time, independently of learner updates, so reports go by wall time.</summary>
    private static readonly TimeSpan _reportInterval = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public override RunOutcome Run()
    {
        var collection = Settings.Collection;
        var actorCount = Settings.Async.NumActors;
        var vectors = new List<SyncVectorEnv<TObservation, TAction>>(actorCount);
        try
        {
            var actorEnvs = new IEnv<TObservation, TAction>[actorCount][];
            for (var k = 0; k < actorCount; k++)
            {
                actorEnvs[k] = MakeEnvs(collection.NumEnvs);
                vectors.Add(new SyncVectorEnv<TObservation, TAction>(actorEnvs[k]));
            }

            var liveEnvs = LiveEnvs(actorEnvs.SelectMany(e => e));
            var model = ModelSpecFor(actorEnvs[0][0]);
            var learnerRandom = Stream(2);
            var learner = Settings.Algorithm.CreateLearner(model.Create<TObservation, TAction>(actorEnvs[0][0].ObservationSpace, new RandomSource(Settings.Seed), parallelism: null), Settings.LearnerShape, learnerRandom);

            // Each actor has its own policy copy (snapshots are loaded into it) and its own sampling stream.
            var actors = new Actor<TObservation, TAction>[actorCount];
            var parts = new List<ICheckpointPart>();
            var actorRandoms = new RandomSource[actorCount];
            var policies = new IPolicy<TObservation, TAction>[actorCount];
            for (var k = 0; k < actorCount; k++)
            {
                actorRandoms[k] = Stream(10 + k);
                policies[k] = model.Create<TObservation, TAction>(actorEnvs[k][0].ObservationSpace, actorRandoms[k], parallelism: null);
            }

            var episodes = new EpisodeMailbox();
            for (var k = 0; k < actorCount; k++)
            {
                var actor = actors[k] = new Actor<TObservation, TAction>(new ActorId(k), vectors[k], policies[k], episodes);

                // A run resumed with more actors than it saved gives the new ones fresh streams.
                parts.Add(new ActorCheckpointPart<TObservation, TAction>(
                    RandomStreamKey.Actor(k), actorRandoms[k], actorEnvs[k], k * collection.NumEnvs, read => actor.ReadBetweenSteps(read), streamRequired: false));
            }

            // A resumed run restores everything learned and continues the counters; its envs start fresh episodes.
            Restore(learner, parts);
            PrepareFolder();

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Context.CancellationToken);
            using var sinks = RunFolder.OpenMetrics(Settings.RunDirectory, Context.Resumed is not null, Context.Hooks.Time, Context.Hooks.Progress);
            AsynchronousSchedule<TObservation, TAction>? schedule = null;
            var monitor = CreateMonitor(sinks, stop, liveEnvs, report => schedule is null ? report : WithTransportCounters(report, schedule.Statistics), _reportInterval);
            var firstSeed = Context.FirstEnvSeed;
            for (var k = 0; k < actorCount; k++)
            {
                actors[k].Start(unchecked(firstSeed + (k * collection.NumEnvs)));
            }

            using var writer = new BackgroundCheckpointWriter();
            var checkpointer = CreateCheckpointer(writer, learner, model, parts, monitor, () => schedule?.GlobalStep ?? 0);
            var remaining = collection.TotalTimesteps - StepOffset;
            if (remaining > 0)
            {
                schedule = new AsynchronousSchedule<TObservation, TAction>(
                    actors,
                    learner,
                    new AsynchronousScheduleOptions
                    {
                        TotalSteps = remaining,
                        StepsPerSegment = collection.NumSteps,
                        QueueCapacity = Settings.Async.QueueCapacity,
                        MaxPolicyLag = Settings.Async.MaxPolicyLag,

                        // A live world does not wait: its actors never block and come first. A simulator can wait,
                        // so its actors do when the learner is behind, and nothing they collect is thrown away.
                        WhenFull = liveEnvs.Length > 0 ? QueueFullMode.DropOldest : QueueFullMode.Wait,
                        PrioritizeActors = liveEnvs.Length > 0,
                    },
                    Callbacks(monitor, checkpointer),
                    episodes);
                schedule.Run(stop.Token);
                monitor.Flush();
            }

            checkpointer.SaveNow();
            writer.Flush();
            return Outcome(monitor, schedule?.GlobalStep ?? 0);
        }
        finally
        {
            foreach (var vector in vectors)
            {
                vector.Dispose();
            }
        }
    }

    private static TrainingReport WithTransportCounters(TrainingReport report, AsynchronousScheduleStatistics statistics) => report with
    {
        SegmentsDroppedQueueFull = statistics.Channel.DroppedFull,
        SegmentsDroppedStale = statistics.Lag.DroppedStale,
    };
}
