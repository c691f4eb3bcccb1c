using System.Collections.Concurrent;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Threading;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Schedules;

/// <summary>IMPALA/APPO-style schedule: actor threads act without ever waiting for the learner, which trains on what arrives.</summary>
/// <remarks>
/// <para>Each actor runs on its own thread: it takes the newest snapshot from the policy store at segment boundaries,
/// fills a pooled segment and writes it to a bounded channel. With <see cref="QueueFullMode.DropOldest"/> a write never
/// blocks, so an actor's step rate depends only on its env; the dropped segments are counted. The learner runs on the
/// calling thread: it reads segments, drops those older than the lag limit (counted), updates, and publishes a snapshot.</para>
/// <para>Episodes are reported on actor threads into an <see cref="EpisodeMailbox"/> and delivered to the callbacks on the
/// learner's thread, so callbacks (metrics sinks) need no locking.</para>
/// <para>When the run ends, every segment still in flight goes back to the pool: the one each actor was filling or
/// writing, those queued in the channel and the learner's unfinished batch. They are not trained on and are counted in
/// <see cref="AsynchronousScheduleStatistics.DiscardedAtShutdown"/>, so after <see cref="Run"/> returns the pool's
/// <see cref="SegmentPoolStatistics.Outstanding"/> is zero.</para>
/// </remarks>
public sealed class AsynchronousSchedule<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly IReadOnlyList<Actor<TObservation, TAction>> _actors;
    private readonly ILearner<TObservation, TAction> _learner;
    private readonly AsynchronousScheduleOptions _options;
    private readonly ITrainingCallbacks _callbacks;
    private readonly PolicyStore _store = new();
    private readonly SegmentPool<TObservation, TAction> _pool;
    private readonly SegmentChannel<Segment<TObservation, TAction>> _channel;
    private readonly PolicyLagFilter _lagFilter;
    private readonly EpisodeMailbox _episodes;
    private readonly long _initialSteps;
    private long _updates;
    private long _discardedAtShutdown;
    private int _runningActors;

    /// <summary>Creates the schedule over started actors that report their episodes to <paramref name="episodes"/>.</summary>
    /// <param name="actors">The actors; each gets its own thread.</param>
    /// <param name="learner">The learner; it runs on the thread that calls <see cref="Run"/>.</param>
    /// <param name="options">Stop condition, segment size, channel and lag settings.</param>
    /// <param name="callbacks">Hooks, called on the learner's thread.</param>
    /// <param name="episodes">The queue the actors report episodes to; the schedule delivers them to <paramref name="callbacks"/>.</param>
    public AsynchronousSchedule(
        IReadOnlyList<Actor<TObservation, TAction>> actors,
        ILearner<TObservation, TAction> learner,
        AsynchronousScheduleOptions options,
        ITrainingCallbacks callbacks,
        EpisodeMailbox episodes)
    {
        _episodes = episodes ?? throw new ArgumentNullException(nameof(episodes));
        ArgumentNullException.ThrowIfNull(actors);
        if (actors.Count == 0)
        {
            throw new ArgumentException("The schedule needs at least one actor.", nameof(actors));
        }

        _actors = actors;
        _learner = learner ?? throw new ArgumentNullException(nameof(learner));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _callbacks = callbacks ?? throw new ArgumentNullException(nameof(callbacks));
        options.Validate();
        var layout = actors[0].LayoutFor(options.StepsPerSegment);
        foreach (var actor in actors)
        {
            if (actor.LayoutFor(options.StepsPerSegment) != layout)
            {
                throw new ArgumentException($"All actors must fill segments of one layout; {actor.Id} has {actor.LayoutFor(options.StepsPerSegment)}, {actors[0].Id} has {layout}.", nameof(actors));
            }
        }

        // Enough segments for every actor's one in hand, a full queue and the learner's batch.
        _pool = new SegmentPool<TObservation, TAction>(layout, actors.Count + options.QueueCapacity + options.SegmentsPerUpdate + 2);
        _channel = new SegmentChannel<Segment<TObservation, TAction>>(
            new SegmentChannelOptions { Capacity = options.QueueCapacity, WhenFull = options.WhenFull },
            _pool.Return);
        _lagFilter = new PolicyLagFilter(options.MaxPolicyLag);
        _initialSteps = SumOfActorSteps();
    }

    /// <summary>Env steps the actors have taken since the schedule was created, counted step by step (not per segment), so rates measured from it are true at any interval.</summary>
    public long GlobalStep => SumOfActorSteps() - _initialSteps;

    /// <summary>The run's transport and lag counters.</summary>
    public AsynchronousScheduleStatistics Statistics =>
        new(_channel.Statistics, _lagFilter.Statistics, Interlocked.Read(ref _updates), _pool.Statistics, Interlocked.Read(ref _discardedAtShutdown));

    /// <summary>Runs until the actors have taken <see cref="AsynchronousScheduleOptions.TotalSteps"/> steps or <paramref name="cancellationToken"/> is cancelled; joins every actor thread before returning.</summary>
    public void Run(CancellationToken cancellationToken = default)
    {
        var initial = _learner.Snapshot();
        _store.Publish(initial);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new ConcurrentQueue<Exception>();
        var threads = new Thread[_actors.Count];
        for (var k = 0; k < threads.Length; k++)
        {
            var actor = _actors[k];
            threads[k] = new Thread(() => ActorLoop(actor, initial, stop, failures))
            {
                IsBackground = true,
                Name = $"tempo-{actor.Id}",
                Priority = _options.PrioritizeActors ? ThreadPriority.AboveNormal : ThreadPriority.Normal,
            };
        }

        _runningActors = threads.Length;
        var learnerThread = Thread.CurrentThread;
        var learnerPriority = learnerThread.Priority;
        if (_options.PrioritizeActors)
        {
            learnerThread.Priority = ThreadPriority.BelowNormal;
        }

        try
        {
            foreach (var thread in threads)
            {
                thread.Start();
            }

            using (_options.PrioritizeActors ? ThreadNiceness.Lower(ThreadNiceness.Learner) : default)
            {
                LearnerLoop(stop, failures);
            }
        }
        finally
        {
            stop.Cancel();
            _channel.Writer.Complete();
            foreach (var thread in threads)
            {
                thread.Join();
            }

            learnerThread.Priority = learnerPriority;
            DiscardQueued();
            DeliverEpisodes();
        }

        if (!failures.IsEmpty)
        {
            throw new AggregateException("An actor or the learner failed; the run stopped.", failures);
        }
    }

    private void ActorLoop(Actor<TObservation, TAction> actor, PolicySnapshot initial, CancellationTokenSource stop, ConcurrentQueue<Exception> failures)
    {
        try
        {
            // Every actor starts from the learner's weights, whatever its own policy was initialised with.
            actor.Policy.Load(initial);

            // An actor stops at the step budget as the learner does, so a run overshoots it by at most a segment per actor.
            while (!stop.IsCancellationRequested && GlobalStep < _options.TotalSteps)
            {
                if (_store.TryGetLatest(out var snapshot) && snapshot.Version > actor.Policy.Version)
                {
                    actor.Policy.Load(snapshot);
                }

                CollectAndWrite(actor, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (InvalidOperationException) when (stop.IsCancellationRequested)
        {
            // The channel was completed while this actor was writing: the run is over.
        }
        catch (Exception error)
        {
            failures.Enqueue(error);
            stop.Cancel();
        }
        finally
        {
            Interlocked.Decrement(ref _runningActors);
        }
    }

    private void CollectAndWrite(Actor<TObservation, TAction> actor, CancellationToken stop)
    {
        var segment = _pool.Rent();
        var handedOver = false;
        try
        {
            actor.Collect(segment);
            if (!_channel.Writer.TryWrite(segment))
            {
                // Only a waiting channel refuses a write; a simulator's actor waits for room then.
                _channel.Writer.Write(segment, stop);
            }

            handedOver = true;
        }
        finally
        {
            if (!handedOver)
            {
                // The run ended (or failed) while this segment was being filled or waited for room.
                Discard(segment);
            }
        }
    }

    private void LearnerLoop(CancellationTokenSource stop, ConcurrentQueue<Exception> failures)
    {
        var batch = new List<Segment<TObservation, TAction>>(_options.SegmentsPerUpdate);
        var timeout = TimeSpan.FromMilliseconds(50);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                DeliverEpisodes();

                // At the budget the actors finish their last segments and stop; the learner trains on every segment
                // they handed over, and stops once they have all stopped and the channel is empty.
                var actorsStopped = Volatile.Read(ref _runningActors) == 0;
                if (!_channel.Reader.TryRead(out var segment, actorsStopped ? TimeSpan.Zero : timeout, stop.Token))
                {
                    if (actorsStopped)
                    {
                        break;
                    }

                    continue;
                }

                if (!_lagFilter.Accept(segment, _learner.Version))
                {
                    _pool.Return(segment);
                    continue;
                }

                batch.Add(segment);
                if (batch.Count < _options.SegmentsPerUpdate)
                {
                    continue;
                }

                var iteration = Interlocked.Increment(ref _updates);
                _callbacks.OnRolloutEnded(new RolloutEnded(iteration, GlobalStep));
                _callbacks.OnUpdateStarting(new UpdateStarting(iteration, GlobalStep, Paused: false));
                var statistics = _learner.Update(batch);
                _store.Publish(_learner.Snapshot());
                foreach (var used in batch)
                {
                    _pool.Return(used);
                }

                batch.Clear();
                _callbacks.OnUpdateFinished(new UpdateFinished(iteration, GlobalStep, statistics));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            failures.Enqueue(error);
        }
        finally
        {
            // An unfinished batch (the run was cancelled, ended between updates, or the update failed) is not trained on.
            foreach (var unused in batch)
            {
                Discard(unused);
            }
        }
    }

    private void DiscardQueued()
    {
        // Called after every actor thread has exited, so nothing is written any more.
        while (_channel.Reader.TryRead(out var segment))
        {
            Discard(segment);
        }
    }

    private long SumOfActorSteps()
    {
        long steps = 0;
        for (var k = 0; k < _actors.Count; k++)
        {
            steps += _actors[k].Steps;
        }

        return steps;
    }

    private void Discard(Segment<TObservation, TAction> segment)
    {
        Interlocked.Increment(ref _discardedAtShutdown);
        _pool.Return(segment);
    }

    private void DeliverEpisodes()
    {
        // Episodes are dated by the run's global step when the learner sees them (at most one segment late).
        while (_episodes.TryDequeue(out var episode))
        {
            _callbacks.OnEpisodeEnded(episode with { Step = GlobalStep });
        }
    }
}
