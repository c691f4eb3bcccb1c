using Tempo.Algorithms.Experience;
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
/// restored policy version. An actor that throws (its env crashed) is rebuilt with fresh envs up to
/// <see cref="AsynchronousOptions.MaxActorRestarts"/> times while the others act on; the run fails only when every
/// actor is down for good.
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
        var slots = new ActorSlot[actorCount];
        try
        {
            for (var k = 0; k < actorCount; k++)
            {
                slots[k] = new ActorSlot(MakeEnvs(collection.NumEnvs));
            }

            var liveEnvs = LiveEnvs(slots.SelectMany(s => s.Envs));
            var model = ModelSpecFor(slots[0].Envs[0]);
            var space = slots[0].Envs[0].ObservationSpace;
            var learner = RunAgents.CreateLearner<TObservation, TAction>(Settings, model, space, slots[0].Envs[0].ActionSpace, Stream(2), parallelism: null);

            // Each actor has its own policy copy (snapshots are loaded into it) and its own sampling stream.
            var parts = new List<ICheckpointPart>();
            for (var k = 0; k < actorCount; k++)
            {
                var slot = slots[k];
                var random = Stream(10 + k);
                slot.Actor = new Actor<TObservation, TAction>(new ActorId(k), slot.Vector, RunAgents.CreatePolicy<TObservation, TAction>(Settings, model, space, slots[0].Envs[0].ActionSpace, random, parallelism: null, StepOffset, actorCount));

                // A run resumed with more actors than it saved gives the new ones fresh streams. The part reads through the
                // slot, so it follows a rebuilt actor.
                parts.Add(new ActorCheckpointPart<TObservation, TAction>(
                    RandomStreamKey.Actor(k), random, new SlotEnvs(slot), k * collection.NumEnvs, read => slot.Actor!.ReadBetweenSteps(read), streamRequired: false));
            }

            // A resumed run restores everything learned and continues the counters; its envs start fresh episodes.
            Restore(learner, parts);
            PrepareFolder();

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Context.CancellationToken);
            using var sinks = RunFolder.OpenMetrics(Context.RunDirectory, Context.Resumed is not null, Context.Hooks.Time, Context.Hooks.Progress);
            AsynchronousSchedule<TObservation, TAction>? schedule = null;
            var monitor = CreateMonitor(sinks, stop, liveEnvs, report =>
            {
                if (schedule is not null)
                {
                    FillTransportCounters(report, schedule.Statistics);
                }
            }, _reportInterval);
            var firstSeed = Context.FirstEnvSeed;
            for (var k = 0; k < actorCount; k++)
            {
                slots[k].Actor!.Start(unchecked(firstSeed + (k * collection.NumEnvs)));
            }

            using var writer = new BackgroundCheckpointWriter();
            var checkpointer = CreateCheckpointer(writer, learner, model, parts, monitor, () => schedule?.GlobalStep ?? 0);
            var remaining = collection.TotalTimesteps - StepOffset;
            if (remaining > 0)
            {
                schedule = new AsynchronousSchedule<TObservation, TAction>(
                    [.. slots.Select(s => s.Actor!)],
                    learner,
                    new AsynchronousScheduleOptions
                    {
                        TotalSteps = remaining,
                        StepsPerSegment = collection.NumSteps,
                        SegmentsPerUpdate = Settings.Async.SegmentsPerUpdate,
                        QueueCapacity = Settings.Async.QueueCapacity,
                        MaxPolicyLag = Settings.Async.MaxPolicyLag,
                        MaxRestartsPerActor = Settings.Async.MaxActorRestarts,
                        WireCheck = Settings.Async.WireCheck,

                        // A live world does not wait: its actors never block and come first. A simulator can wait,
                        // so its actors do when the learner is behind, and nothing they collect is thrown away.
                        WhenFull = liveEnvs.Length > 0 ? QueueFullMode.DropOldest : QueueFullMode.Wait,
                        PrioritizeActors = liveEnvs.Length > 0,
                    },
                    Callbacks(monitor, checkpointer),
                    id => Rebuild(slots[id.Value], id));
                if (liveEnvs.Length > 0)
                {
                    CollectSetupGarbage();
                }

                schedule.Run(stop.Token);
                monitor.Flush();
            }

            checkpointer.SaveNow();
            writer.Flush();
            return Outcome(monitor, schedule?.GlobalStep ?? 0);
        }
        finally
        {
            foreach (var slot in slots)
            {
                slot?.Vector.Dispose();
            }
        }
    }

    /// <summary>Replaces a failed actor: fresh envs (the failed ones may be broken, a crashed game), the same policy copy and sampling stream, started with a seed of its own.</summary>
    private Actor<TObservation, TAction> Rebuild(ActorSlot slot, ActorId id)
    {
        var policy = slot.Actor!.Policy;
        var envs = MakeEnvs(Settings.Collection.NumEnvs);
        slot.Replace(envs);
        slot.Actor = new Actor<TObservation, TAction>(id, slot.Vector, policy);
        slot.Restarts++;
        slot.Actor.Start((int)RandomSource.DeriveSeed(Settings.Seed, 1000 + (1000 * slot.Restarts) + id.Value));
        return slot.Actor;
    }

    private static void FillTransportCounters(TrainingReport report, AsynchronousScheduleStatistics statistics)
    {
        report.SegmentsDroppedQueueFull = statistics.Channel.DroppedFull;
        report.SegmentsDroppedStale = statistics.Lag.DroppedStale;
    }

    /// <summary>One actor's place in the run: its envs, their vector and the actor, replaced together when the actor is rebuilt.</summary>
    private sealed class ActorSlot(IEnv<TObservation, TAction>[] envs)
    {
        public IEnv<TObservation, TAction>[] Envs { get; private set; } = envs;

        public SyncVectorEnv<TObservation, TAction> Vector { get; private set; } = new(envs);

        public Actor<TObservation, TAction>? Actor { get; set; }

        public int Restarts { get; set; }

        public void Replace(IEnv<TObservation, TAction>[] envs)
        {
            Vector.Dispose();
            Envs = envs;
            Vector = new SyncVectorEnv<TObservation, TAction>(envs);
        }
    }

    /// <summary>The envs of whatever actor holds the slot now.</summary>
    private sealed class SlotEnvs(ActorSlot slot) : IReadOnlyList<IEnv<TObservation, TAction>>
    {
        public int Count => slot.Envs.Length;

        public IEnv<TObservation, TAction> this[int index] => slot.Envs[index];

        public IEnumerator<IEnv<TObservation, TAction>> GetEnumerator() => ((IEnumerable<IEnv<TObservation, TAction>>)slot.Envs).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
