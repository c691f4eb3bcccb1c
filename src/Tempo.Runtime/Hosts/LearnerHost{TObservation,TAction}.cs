using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Threading;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Hosts;

/// <summary>Runs the learner on the calling thread: read segments, drop stale ones, batch, update, publish the new policy.</summary>
/// <remarks>
/// <para>
/// The host meets actors only through <see cref="ISegmentReader{TSegment}"/> and <see cref="IPolicyPublisher"/>, so it
/// cannot tell in-process actors from remote ones. Everything it knows of them arrives in the segments: the global step
/// is the sum over actors of the largest cumulative step count seen (<see cref="Segment{TObservation, TAction}.ActorSteps"/>),
/// so segments dropped on the way still count and duplicates count once; the episodes that ended in a segment are
/// delivered to the callbacks when it is read, dated by the global step, on this thread, so callbacks need no locking.
/// </para>
/// <para>
/// The run stops when the reader completes (every segment handed over has been trained on, except a last incomplete
/// batch), at the optional step budget, on cancellation, or when the learner or publisher throws (rethrown). Publishing
/// reuses one snapshot buffer, so steady-state updates allocate nothing here.
/// </para>
/// </remarks>
public sealed class LearnerHost<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly ILearner<TObservation, TAction> _learner;
    private readonly SegmentPool<TObservation, TAction> _pool;
    private readonly ISegmentReader<Segment<TObservation, TAction>> _reader;
    private readonly IPolicyPublisher _publisher;
    private readonly ITrainingCallbacks _callbacks;
    private readonly LearnerHostOptions _options;
    private readonly PolicyLagFilter _lagFilter;
    private readonly Dictionary<ActorId, long> _actorSteps = [];
    private readonly List<Segment<TObservation, TAction>> _batch;
    private readonly PolicySnapshot _snapshot;
    private readonly Func<long>? _liveSteps;
    private long _globalStep;
    private long _read;
    private long _updates;
    private long _discarded;
    private bool _published;
    private ThreadNiceness _niceness;

    /// <summary>Updates the learner runs at normal niceness before it gives way to actors (see <see cref="Update"/>).</summary>
    internal const int WarmUpUpdates = 10;

    /// <summary>Creates a host around <paramref name="learner"/>.</summary>
    /// <param name="learner">The learner; it runs on the thread that calls <see cref="Run"/>.</param>
    /// <param name="pool">Where the reader's segments come from; the host returns each one after training on it or dropping it.</param>
    /// <param name="reader">Where segments arrive.</param>
    /// <param name="publisher">Where each new policy version goes.</param>
    /// <param name="callbacks">Hooks, called on the learner's thread.</param>
    /// <param name="options">Batch size, lag limit, optional budget, priority.</param>
    /// <param name="liveSteps">
    /// An in-process run's live step count (its actor host's), or <see langword="null"/>. Segments prove steps only when
    /// read, so while the learner is busy they lag by what is queued; a live count keeps reports and rates true at any
    /// interval. The global step never falls behind either.
    /// </param>
    public LearnerHost(
        ILearner<TObservation, TAction> learner,
        SegmentPool<TObservation, TAction> pool,
        ISegmentReader<Segment<TObservation, TAction>> reader,
        IPolicyPublisher publisher,
        ITrainingCallbacks callbacks,
        LearnerHostOptions options,
        Func<long>? liveSteps = null)
    {
        _learner = learner ?? throw new ArgumentNullException(nameof(learner));
        _pool = pool ?? throw new ArgumentNullException(nameof(pool));
        _reader = reader ?? throw new ArgumentNullException(nameof(reader));
        _publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));
        _callbacks = callbacks ?? throw new ArgumentNullException(nameof(callbacks));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _lagFilter = new PolicyLagFilter(options.MaxPolicyLag);
        _liveSteps = liveSteps;
        _batch = new List<Segment<TObservation, TAction>>(options.SegmentsPerUpdate);

        // The one snapshot buffer publishing reuses; taking it also sizes it.
        _snapshot = learner.Snapshot();
    }

    /// <summary>Env steps over all actors, counted from the segments read so far (or the live count, if one was given and is ahead); safe to read from any thread.</summary>
    public long GlobalStep => Math.Max(Volatile.Read(ref _globalStep), _liveSteps?.Invoke() ?? 0);

    /// <summary>A snapshot of the host's counters.</summary>
    public LearnerHostStatistics Statistics =>
        new(Interlocked.Read(ref _read), _lagFilter.Statistics, Interlocked.Read(ref _updates), Interlocked.Read(ref _discarded));

    /// <summary>Publishes the learner's current weights, so actors can start; <see cref="Run"/> does it first unless it was done.</summary>
    public void PublishCurrentPolicy()
    {
        _learner.CopySnapshotTo(_snapshot);
        _publisher.Publish(_snapshot);
        _published = true;
    }

    /// <summary>Learns until the reader completes, the budget is reached or <paramref name="cancellationToken"/> is cancelled (then it returns normally); rethrows a learner or publisher failure.</summary>
    /// <remarks>Publishes the learner's current weights first, unless <see cref="PublishCurrentPolicy"/> already did.</remarks>
    public void Run(CancellationToken cancellationToken = default)
    {
        var thread = Thread.CurrentThread;
        var priority = thread.Priority;
        if (_options.LowerPriority)
        {
            thread.Priority = ThreadPriority.BelowNormal;
        }

        try
        {
            if (!_published)
            {
                PublishCurrentPolicy();
            }

            Learn(cancellationToken);
        }
        finally
        {
            _niceness.Dispose();
            _niceness = default;
            thread.Priority = priority;
        }
    }

    /// <summary>Takes every segment still queued in the reader without training on it: counts its steps, delivers its episodes and returns it to the pool. Call once the writers have stopped.</summary>
    public void DiscardRemaining()
    {
        while (_reader.TryRead(out var segment))
        {
            Take(segment);
            Discard(segment);
        }
    }

    private void Learn(CancellationToken cancellationToken)
    {
        try
        {
            while (_options.TotalSteps is not { } total || GlobalStep < total)
            {
                // A reader hands out queued segments even when cancelled; the run must stop at once all the same.
                cancellationToken.ThrowIfCancellationRequested();
                if (!_reader.TryRead(out var segment, Timeout.InfiniteTimeSpan, cancellationToken))
                {
                    // The reader completed: every actor has stopped and everything they handed over was read.
                    break;
                }

                Take(segment);
                if (!_lagFilter.Accept(segment, _learner.Version))
                {
                    _pool.Return(segment);
                    continue;
                }

                _batch.Add(segment);
                if (_batch.Count == _options.SegmentsPerUpdate)
                {
                    Update();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            // An unfinished batch (the run was cancelled, ended between updates, or the update failed) is not trained on.
            foreach (var unused in _batch)
            {
                Discard(unused);
            }

            _batch.Clear();
        }
    }

    private void Update()
    {
        var iteration = Interlocked.Increment(ref _updates);
        _callbacks.OnRolloutEnded(new RolloutEnded(iteration, GlobalStep));
        _callbacks.OnUpdateStarting(new UpdateStarting(iteration, GlobalStep, Paused: false));
        var statistics = _learner.Update(_batch);

        // A learner training from replay may take no gradient step in an update; its unchanged weights are already out.
        if (_learner.Version != _snapshot.Version)
        {
            PublishCurrentPolicy();
        }

        foreach (var used in _batch)
        {
            _pool.Return(used);
        }

        _batch.Clear();
        _callbacks.OnUpdateFinished(new UpdateFinished(iteration, GlobalStep, statistics));

        // The learner gives way (a higher nice value) only once its first updates and reports are done: until then it
        // compiles its code, and the runtime's compiler and type loader locks it holds meanwhile are ones actors take
        // too. A nice-10 thread holding them on a busy machine stalled actors for 50–80 ms early in a run; at nice 0 it
        // finishes compiling in a few milliseconds.
        if (_options.LowerPriority && iteration == WarmUpUpdates)
        {
            _niceness = ThreadNiceness.Lower(ThreadNiceness.Learner);
        }
    }

    private void Take(Segment<TObservation, TAction> segment)
    {
        Interlocked.Increment(ref _read);
        ref var seen = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_actorSteps, segment.Actor, out _);
        if (segment.ActorSteps > seen)
        {
            Volatile.Write(ref _globalStep, Volatile.Read(ref _globalStep) + (segment.ActorSteps - seen));
            seen = segment.ActorSteps;
        }

        // Episodes are dated by the run's global step when the learner sees them (at most one segment late).
        foreach (var (env, episode) in segment.Episodes)
        {
            _callbacks.OnEpisodeEnded(new EpisodeEnded(segment.Actor, env, GlobalStep, episode));
        }
    }

    private void Discard(Segment<TObservation, TAction> segment)
    {
        Interlocked.Increment(ref _discarded);
        _pool.Return(segment);
    }
}
