using Tempo.Algorithms.Experience;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Seeding;
using Tempo.Core.Timing;
using Tempo.Core.Vector;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Hosts;
using Tempo.Runtime.Hosts.Remote;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Runs;

/// <summary>The actor half of an asynchronous run, in a process of its own: an actor host whose segments and policies travel through a remote transport.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// The process runs <c>actors</c> actors of the run's <see cref="CollectionOptions.NumEnvs"/> envs each (the learner's
/// batch shape is per segment, so every actor of the fleet fills segments of the same shape). It acts until cancelled,
/// until the transport says the run is over, or until every actor has failed for good; it never waits for the learner.
/// </remarks>
internal sealed class ActorOnlyRun<TObservation, TAction>(RunContext context, ActorCriticRecipe<TObservation, TAction> recipe, IActorTransportFactory factory, int actors)
    : RunComposition<TObservation, TAction>(context, recipe)
    where TObservation : unmanaged
    where TAction : unmanaged
{
    // How often the waiting thread looks at whether every actor has failed; stopping is signalled, not polled.
    private static readonly TimeSpan _failurePoll = TimeSpan.FromMilliseconds(200);

    /// <inheritdoc/>
    public override RunOutcome Run()
    {
        var collection = Settings.Collection;
        var vectors = new List<SyncVectorEnv<TObservation, TAction>>();
        try
        {
            var first = MakeEnvs(collection.NumEnvs);
            vectors.Add(new SyncVectorEnv<TObservation, TAction>(first));
            var space = first[0].ObservationSpace;
            var actionSpace = first[0].ActionSpace;
            var model = ModelSpecFor(first[0]);

            // The snapshot layout is the learner's (a DQN learner's online Q-network, a SAC learner's actor): the process
            // builds the run's learner once to count its snapshot's weights, which the transport checks against the learner's.
            var weightCount = RunAgents.CreateLearner<TObservation, TAction>(Settings, model, space, actionSpace, new RandomSource(Settings.Seed), parallelism: null).Snapshot().WeightCount;
            var layout = new SegmentLayout(collection.NumSteps, collection.NumEnvs, space.FlatSize, actionSpace.FlatSize);
            var liveEnvs = new List<IEnv>(LiveEnvs(first));
            var shape = new TransportShape(layout, weightCount, space, actionSpace, model, (2 * actors) + 2)
            {
                WhenFull = liveEnvs.Count > 0 ? QueueFullMode.DropOldest : QueueFullMode.Wait,
            };
            using var transport = factory.OpenActors<TObservation, TAction>(shape, actors);
            var salt = transport.ProcessSalt;

            var list = new List<Actor<TObservation, TAction>>(actors);
            for (var k = 0; k < actors; k++)
            {
                var vector = vectors[0];
                if (k > 0)
                {
                    var envs = MakeEnvs(collection.NumEnvs);
                    liveEnvs.AddRange(LiveEnvs(envs));
                    vector = new SyncVectorEnv<TObservation, TAction>(envs);
                    vectors.Add(vector);
                }

                var id = transport.ActorIds[k];
                // The acting copy for the run's algorithm; an ε-greedy or SAC policy decays its exploration over this process's own steps.
                var policy = RunAgents.CreatePolicy<TObservation, TAction>(Settings, model, space, actionSpace, Salted(salt, 10 + id.Value), parallelism: null, stepsTaken: 0, actors);
                list.Add(new Actor<TObservation, TAction>(id, vector, policy));
            }

            for (var k = 0; k < list.Count; k++)
            {
                list[k].Start((int)RandomSource.DeriveSeed(Settings.Seed, salt + (1000L * list[k].Id.Value)));
            }

            var host = new ActorHost<TObservation, TAction>(
                list,
                id => Rebuild(vectors, list, id, salt),
                transport.Pool,
                transport.Writer,
                transport.Policies,
                new ActorHostOptions { StepsPerSegment = collection.NumSteps, MaxRestartsPerActor = Settings.Async.MaxActorRestarts });
            var gapSources = liveEnvs.Select(e => e.TryFind<IActionGapSource>(out var source) ? source : null).OfType<IActionGapSource>().ToArray();
            var clocks = liveEnvs.Select(e => e.TryFind<ILiveEnv>(out var live) ? live : null).OfType<ILiveEnv>().ToArray();
            transport.Start(() => Progress(host, list, gapSources, clocks));
            CollectSetupGarbage();

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Context.CancellationToken, transport.RunFinished);
            host.Start(stop.Token);
            var start = Context.Hooks.Time.GetTimestamp();
            while (!stop.Token.WaitHandle.WaitOne(_failurePoll) && !host.AllActorsFailed)
            {
            }

            host.Stop();
            if (host.AllActorsFailed)
            {
                throw new AggregateException("Every actor of this process failed; it stopped.", host.FatalErrors);
            }

            return new RunOutcome(Settings.RunDirectory is { } folder ? Path.GetFullPath(folder) : "", host.Steps, Context.Hooks.Time.GetElapsedTime(start).TotalSeconds, 0, null, null, Cancelled: Context.CancellationToken.IsCancellationRequested);
        }
        finally
        {
            // Rebuilt actors' envs are added from actor threads, all stopped by now.
            foreach (var vector in vectors)
            {
                vector.Dispose();
            }
        }
    }

    private static RandomSource Salted(long salt, long stream) => new(RandomSource.DeriveSeed(salt, stream));

    private static ActorProcessProgress Progress(ActorHost<TObservation, TAction> host, List<Actor<TObservation, TAction>> actors, IActionGapSource[] gaps, ILiveEnv[] clocks)
    {
        var statistics = host.Statistics;
        Algorithms.Policies.PolicyVersion? oldest = null;
        foreach (var actor in actors)
        {
            var version = actor.Policy.Version;
            if (oldest is null || version.Value < oldest.Value.Value)
            {
                oldest = version;
            }
        }

        // Each report covers the time since the previous one (a window per report, as in-process runs report).
        DurationSummary? worst = null;
        foreach (var source in gaps)
        {
            var window = source.ActionGaps.Window;
            source.ResetActionGapWindow();
            if (window.Count > 0 && (worst is null || window.P99 > worst.Value.P99))
            {
                worst = window;
            }
        }

        // Late ticks add up over envs, as an in-process run's deadline_overruns do (LiveEnvReport).
        long lateTicks = 0;
        foreach (var clock in clocks)
        {
            lateTicks += clock.LateTickCount;
        }

        return new ActorProcessProgress(host.Steps, statistics.SegmentsWritten, oldest, worst, statistics.Failures, lateTicks);
    }

    /// <summary>Replaces a failed actor with fresh envs (a crashed game may be broken), the same policy copy, and a seed of its own.</summary>
    private Actor<TObservation, TAction> Rebuild(List<SyncVectorEnv<TObservation, TAction>> vectors, List<Actor<TObservation, TAction>> actors, ActorId id, long salt)
    {
        var slot = actors.FindIndex(a => a.Id == id);
        var vector = new SyncVectorEnv<TObservation, TAction>(MakeEnvs(Settings.Collection.NumEnvs));
        lock (vectors)
        {
            vectors.Add(vector);
        }

        var actor = new Actor<TObservation, TAction>(id, vector, actors[slot].Policy);
        actors[slot] = actor;
        actor.Start((int)RandomSource.DeriveSeed(Settings.Seed, salt + (1000L * id.Value) + vectors.Count));
        return actor;
    }
}
