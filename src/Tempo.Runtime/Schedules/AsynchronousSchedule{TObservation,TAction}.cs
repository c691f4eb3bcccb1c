using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Core.Spaces;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Hosts;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Loopback;

namespace Tempo.Runtime.Schedules;

/// <summary>IMPALA/APPO-style schedule in one process: an actor host and a learner host joined by an in-process transport (or, for a wire check, a loopback wire transport).</summary>
/// <remarks>
/// <para>
/// Actor threads act without ever waiting for the learner (<see cref="ActorHost{TObservation, TAction}"/>); the
/// learner trains on what arrives, on the calling thread (<see cref="LearnerHost{TObservation, TAction}"/>). The two
/// meet only through the transport's interfaces, so this class is composition: the actor host holds the step budget
/// (in-process, the actors know it) and completes the channel when its actors stop; the learner host counts the global
/// step and reports episodes from the segments, and trains on every segment handed over before it stops.
/// </para>
/// <para>
/// When the run ends, every segment still in flight goes back to the pool: the one each actor was filling or writing,
/// those queued in the channel and the learner's unfinished batch. They are not trained on and are counted in
/// <see cref="AsynchronousScheduleStatistics.Discarded"/>, so after <see cref="Run"/> returns the pool's
/// <see cref="SegmentPoolStatistics.Outstanding"/> is zero.
/// </para>
/// </remarks>
public sealed class AsynchronousSchedule<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    // Exactly one of the two is set.
    private readonly InProcessTransport<TObservation, TAction>? _transport;
    private readonly LoopbackWireTransport<TObservation, TAction>? _wire;
    private readonly ActorHost<TObservation, TAction> _actorHost;
    private readonly LearnerHost<TObservation, TAction> _learnerHost;

    /// <summary>Creates the schedule over started actors.</summary>
    /// <param name="actors">The actors, started; each gets its own thread.</param>
    /// <param name="learner">The learner; it runs on the thread that calls <see cref="Run"/>.</param>
    /// <param name="options">Stop condition, segment size, channel, lag and restart settings.</param>
    /// <param name="callbacks">Hooks, called on the learner's thread (episodes included).</param>
    /// <param name="rebuildActor">Builds and starts a replacement for a failed actor, or <see langword="null"/> for no restarts.</param>
    public AsynchronousSchedule(
        IReadOnlyList<Actor<TObservation, TAction>> actors,
        ILearner<TObservation, TAction> learner,
        AsynchronousScheduleOptions options,
        ITrainingCallbacks callbacks,
        Func<ActorId, Actor<TObservation, TAction>>? rebuildActor = null)
    {
        ArgumentNullException.ThrowIfNull(actors);
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (actors.Count == 0)
        {
            throw new ArgumentException("The schedule needs at least one actor.", nameof(actors));
        }

        var learnerHostOptions = new LearnerHostOptions
        {
            SegmentsPerUpdate = options.SegmentsPerUpdate,
            MaxPolicyLag = options.MaxPolicyLag,
            LowerPriority = options.PrioritizeActors,
        };

        // Enough segments for every actor's one in hand, a full queue and the learner's batch.
        var layout = actors[0].LayoutFor(options.StepsPerSegment);
        var weightCount = learner.Snapshot().WeightCount;
        var channel = new SegmentChannelOptions { Capacity = options.QueueCapacity, WhenFull = options.WhenFull };
        var poolCapacity = actors.Count + options.QueueCapacity + options.SegmentsPerUpdate + 2;
        SegmentPool<TObservation, TAction> actorPool, learnerPool;
        ISegmentWriter<Segment<TObservation, TAction>> writer;
        ISegmentReader<Segment<TObservation, TAction>> reader;
        IPolicySource source;
        IPolicyPublisher publisher;
        if (options.WireCheck)
        {
            // The codec checks what it can know: discrete actions in range, no NaN in a dict observation's float parts.
            var actions = actors[0].ActionSpace is DiscreteSpace { Start: 0 } discrete ? discrete.N : (int?)null;
            _wire = new LoopbackWireTransport<TObservation, TAction>(RunId.NewUnique(), layout, weightCount, channel, poolCapacity, actions, actors[0].ObservationSpace);
            (actorPool, learnerPool, writer, reader, source, publisher) = (_wire.ActorPool, _wire.LearnerPool, _wire.Writer, _wire.Reader, _wire.Policies, _wire.Publisher);
        }
        else
        {
            _transport = new InProcessTransport<TObservation, TAction>(layout, weightCount, channel, poolCapacity);
            (actorPool, learnerPool, writer, reader, source, publisher) = (_transport.Pool, _transport.Pool, _transport.Writer, _transport.Reader, _transport.Policies, _transport.Policies);
        }

        _actorHost = new ActorHost<TObservation, TAction>(
            actors,
            rebuildActor,
            actorPool,
            writer,
            source,
            new ActorHostOptions
            {
                StepsPerSegment = options.StepsPerSegment,
                TotalSteps = options.TotalSteps,
                MaxRestartsPerActor = options.MaxRestartsPerActor,
                PrioritizeActors = options.PrioritizeActors,
            });
        var actorHost = _actorHost;
        _learnerHost = new LearnerHost<TObservation, TAction>(
            learner, learnerPool, reader, publisher, callbacks, learnerHostOptions, () => actorHost.Steps);
    }

    /// <summary>Env steps the actors have taken since the schedule was created: counted step by step by the actor host (so rates measured from it are true at any interval), and never behind what the segments read prove.</summary>
    public long GlobalStep => _learnerHost.GlobalStep;

    /// <summary>The run's transport, lag and actor counters.</summary>
    public AsynchronousScheduleStatistics Statistics
    {
        get
        {
            var learner = _learnerHost.Statistics;
            var actors = _actorHost.Statistics;
            var discarded = learner.Discarded + actors.SegmentsDiscarded;
            if (_wire is null)
            {
                return new(_transport!.ChannelStatistics, learner.Lag, learner.Updates, _transport.Pool.Statistics, discarded, actors);
            }

            var wire = _wire.Statistics;
            return new(wire.Channel, learner.Lag, learner.Updates, Sum(_wire.ActorPool.Statistics, _wire.LearnerPool.Statistics), discarded, actors, wire);
        }
    }

    /// <summary>Runs until the actors have taken <see cref="AsynchronousScheduleOptions.TotalSteps"/> steps or <paramref name="cancellationToken"/> is cancelled; joins every actor thread before returning.</summary>
    /// <exception cref="AggregateException">The learner failed, or every actor failed more often than it may restart.</exception>
    public void Run(CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new List<Exception>();
        try
        {
            // Published before the actors start, so each one's first segment is collected with the learner's weights.
            _learnerHost.PublishCurrentPolicy();
            _actorHost.Start(stop.Token);
            _learnerHost.Run(stop.Token);
        }
        catch (Exception error)
        {
            failures.Add(error);
        }
        finally
        {
            stop.Cancel();
            _actorHost.Stop();
            _learnerHost.DiscardRemaining();
        }

        if (_actorHost.AllActorsFailed)
        {
            failures.AddRange(_actorHost.FatalErrors);
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("An actor or the learner failed; the run stopped.", failures);
        }
    }

    private static SegmentPoolStatistics Sum(SegmentPoolStatistics a, SegmentPoolStatistics b) =>
        new(a.Allocated + b.Allocated, a.Rented + b.Rented, a.Returned + b.Returned, a.Discarded + b.Discarded, a.Available + b.Available);
}
