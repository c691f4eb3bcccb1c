using System.Collections.Concurrent;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Hosts;

/// <summary>Runs K actors, each on its own thread: load the newest policy at segment boundaries, fill a pooled segment, hand it to a segment writer.</summary>
/// <remarks>
/// <para>
/// The host knows nothing of the learner: it meets it only through <see cref="IPolicySource"/> and
/// <see cref="ISegmentWriter{TSegment}"/>, so the same host serves an in-process run and, later, a process of its own
/// that talks to a remote learner. Each segment carries the actor's cumulative step count and the episodes that ended
/// in it, which is all the learner side needs to count steps and report episodes.
/// </para>
/// <para>
/// An actor that throws is counted and, up to <see cref="ActorHostOptions.MaxRestartsPerActor"/> times, replaced by a
/// fresh one from the rebuild factory (same id, step count continued); the others keep acting. The segment it was
/// filling goes back to the pool. Only when every actor is down for good has the host failed
/// (<see cref="AllActorsFailed"/>). When the last actor thread exits, for whatever reason, the host completes the writer
/// so the learner side sees the end.
/// </para>
/// </remarks>
public sealed class ActorHost<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    // How often an actor looks for the first snapshot before it has any; it acts with nothing else.
    private static readonly TimeSpan _firstSnapshotPoll = TimeSpan.FromMilliseconds(5);

    private readonly Actor<TObservation, TAction>?[] _actors;
    private readonly long[] _stepsBeforeRestart;
    private readonly Func<ActorId, Actor<TObservation, TAction>>? _rebuild;
    private readonly SegmentPool<TObservation, TAction> _pool;
    private readonly ISegmentWriter<Segment<TObservation, TAction>> _writer;
    private readonly IPolicySource _policies;
    private readonly ActorHostOptions _options;
    private readonly ConcurrentQueue<Exception> _fatal = new();
    private Thread[]? _threads;
    private CancellationTokenSource? _stop;
    private int _running;
    private long _written;
    private long _discarded;
    private long _failures;
    private long _restarts;

    /// <summary>Creates a host over started actors.</summary>
    /// <param name="actors">The actors, started (<see cref="Actor{TObservation, TAction}.Start"/>); each gets its own thread.</param>
    /// <param name="rebuild">Builds and starts a replacement for a failed actor with the given id, or <see langword="null"/> for no restarts.</param>
    /// <param name="pool">Where segments are rented; the segment writer's reader returns them.</param>
    /// <param name="writer">Where filled segments go.</param>
    /// <param name="policies">Where the newest policy is loaded from.</param>
    /// <param name="options">Segment size, step budget, restart limit, priority.</param>
    public ActorHost(
        IReadOnlyList<Actor<TObservation, TAction>> actors,
        Func<ActorId, Actor<TObservation, TAction>>? rebuild,
        SegmentPool<TObservation, TAction> pool,
        ISegmentWriter<Segment<TObservation, TAction>> writer,
        IPolicySource policies,
        ActorHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(actors);
        _pool = pool ?? throw new ArgumentNullException(nameof(pool));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _policies = policies ?? throw new ArgumentNullException(nameof(policies));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        if (actors.Count == 0)
        {
            throw new ArgumentException("The actor host needs at least one actor.", nameof(actors));
        }

        foreach (var actor in actors)
        {
            CheckLayout(actor, nameof(actors));
        }

        _rebuild = rebuild;
        _actors = [.. actors];
        _stepsBeforeRestart = new long[actors.Count];
    }

    /// <summary>Env steps this host's actors have taken since they were created, failed actors' included; counted step by step.</summary>
    public long Steps
    {
        get
        {
            long steps = 0;
            for (var k = 0; k < _actors.Length; k++)
            {
                steps += Volatile.Read(ref _stepsBeforeRestart[k]) + (Volatile.Read(ref _actors[k])?.Steps ?? 0);
            }

            return steps;
        }
    }

    /// <summary>Whether every actor is down for good (failed more often than it may restart); the host has then completed the writer.</summary>
    public bool AllActorsFailed => _fatal.Count == _actors.Length;

    /// <summary>The last error of each actor that is down for good.</summary>
    public IReadOnlyCollection<Exception> FatalErrors => _fatal;

    /// <summary>A snapshot of the host's counters.</summary>
    public ActorHostStatistics Statistics => new(
        Interlocked.Read(ref _written),
        Interlocked.Read(ref _discarded),
        Interlocked.Read(ref _failures),
        Interlocked.Read(ref _restarts),
        Volatile.Read(ref _running));

    /// <summary>Starts one thread per actor; they run until the budget, until <paramref name="cancellationToken"/> is cancelled, or until <see cref="Stop"/>.</summary>
    public void Start(CancellationToken cancellationToken = default)
    {
        if (_threads is not null)
        {
            throw new InvalidOperationException("The actor host was already started.");
        }

        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _threads = new Thread[_actors.Length];
        _running = _actors.Length;
        for (var k = 0; k < _threads.Length; k++)
        {
            var slot = k;
            _threads[k] = new Thread(() => ActorThread(slot, _stop.Token))
            {
                IsBackground = true,
                Name = $"tempo-{_actors[k]!.Id}",
                Priority = _options.PrioritizeActors ? ThreadPriority.AboveNormal : ThreadPriority.Normal,
            };
        }

        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Stops every actor (each finishes or abandons its segment, returning it to the pool) and joins their threads.</summary>
    public void Stop()
    {
        if (_threads is null)
        {
            return;
        }

        _stop!.Cancel();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _stop.Dispose();
    }

    private void ActorThread(int slot, CancellationToken stop)
    {
        try
        {
            var restarts = 0;
            while (!stop.IsCancellationRequested)
            {
                var actor = _actors[slot]!;
                try
                {
                    Act(slot, actor, stop);
                    return;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (InvalidOperationException) when (stop.IsCancellationRequested)
                {
                    // The writer was completed while this actor was writing: the run is over.
                    return;
                }
                catch (Exception error)
                {
                    Interlocked.Increment(ref _failures);
                    if (_rebuild is null || restarts == _options.MaxRestartsPerActor || !TryRebuild(slot, actor, out error))
                    {
                        _fatal.Enqueue(error);
                        return;
                    }

                    restarts++;
                    Interlocked.Increment(ref _restarts);
                }
            }
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0)
            {
                _writer.Complete();
            }
        }
    }

    private bool TryRebuild(int slot, Actor<TObservation, TAction> failed, out Exception error)
    {
        Actor<TObservation, TAction> replacement;
        try
        {
            replacement = _rebuild!(failed.Id);
            CheckLayout(replacement, "rebuild");
        }
        catch (Exception rebuildError)
        {
            error = new InvalidOperationException($"{failed.Id} failed and could not be rebuilt: {rebuildError.Message}", rebuildError);
            return false;
        }

        // The count carries over, so segments keep a cumulative step count per actor id.
        Volatile.Write(ref _actors[slot], replacement);
        Volatile.Write(ref _stepsBeforeRestart[slot], _stepsBeforeRestart[slot] + failed.Steps);
        error = null!;
        return true;
    }

    private void Act(int slot, Actor<TObservation, TAction> actor, CancellationToken stop)
    {
        // The actor's own weights are not the learner's, whatever their version says, so the first load is unconditional.
        PolicyVersion? loaded = null;
        while (!stop.IsCancellationRequested && !BudgetReached())
        {
            if (_policies.TryLoadNewer(actor.Policy, loaded))
            {
                loaded = actor.Policy.Version;
            }

            if (loaded is null)
            {
                stop.WaitHandle.WaitOne(_firstSnapshotPoll);
                continue;
            }

            CollectAndWrite(slot, actor, stop);
        }
    }

    private bool BudgetReached() => _options.TotalSteps is { } total && Steps >= total;

    private void CollectAndWrite(int slot, Actor<TObservation, TAction> actor, CancellationToken stop)
    {
        var segment = _pool.Rent();
        var handedOver = false;
        try
        {
            actor.Collect(segment);
            segment.ActorSteps = _stepsBeforeRestart[slot] + actor.Steps;
            if (!_writer.TryWrite(segment))
            {
                // Only a waiting writer refuses a write; a simulator's actor waits for room then.
                _writer.Write(segment, stop);
            }

            handedOver = true;
            Interlocked.Increment(ref _written);
        }
        finally
        {
            if (!handedOver)
            {
                // The actor failed, or the host stopped while this segment was being filled or waited for room.
                Interlocked.Increment(ref _discarded);
                _pool.Return(segment);
            }
        }
    }

    private void CheckLayout(Actor<TObservation, TAction> actor, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(actor, parameterName);
        var layout = actor.LayoutFor(_options.StepsPerSegment);
        if (layout != _pool.Layout)
        {
            throw new ArgumentException($"{actor.Id} fills segments of layout {layout}; the pool holds {_pool.Layout}.", parameterName);
        }
    }
}
