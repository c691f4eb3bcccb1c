using System.Collections.Concurrent;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Policies;
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
    private long _globalStep;
    private long _updates;

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
    }

    /// <summary>Env steps taken by all actors so far.</summary>
    public long GlobalStep => Interlocked.Read(ref _globalStep);

    /// <summary>The run's transport and lag counters.</summary>
    public AsynchronousScheduleStatistics Statistics => new(_channel.Statistics, _lagFilter.Statistics, Interlocked.Read(ref _updates), _pool.Statistics);

    /// <summary>Runs until the actors have taken <see cref="AsynchronousScheduleOptions.TotalSteps"/> steps or <paramref name="cancellationToken"/> is cancelled; joins every actor thread before returning.</summary>
    public void Run(CancellationToken cancellationToken = default)
    {
        _store.Publish(_learner.Snapshot());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new ConcurrentQueue<Exception>();
        var threads = new Thread[_actors.Count];
        for (var k = 0; k < threads.Length; k++)
        {
            var actor = _actors[k];
            threads[k] = new Thread(() => ActorLoop(actor, stop, failures))
            {
                IsBackground = true,
                Name = $"tempo-{actor.Id}",
                Priority = _options.PrioritizeActors ? ThreadPriority.AboveNormal : ThreadPriority.Normal,
            };
        }

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

            LearnerLoop(stop, failures);
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
            DeliverEpisodes();
        }

        if (!failures.IsEmpty)
        {
            throw new AggregateException("An actor or the learner failed; the run stopped.", failures);
        }
    }

    private void ActorLoop(Actor<TObservation, TAction> actor, CancellationTokenSource stop, ConcurrentQueue<Exception> failures)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (_store.TryGetLatest(out var snapshot) && snapshot.Version > actor.Policy.Version)
                {
                    actor.Policy.Load(snapshot);
                }

                var segment = _pool.Rent();
                actor.Collect(segment);
                Interlocked.Add(ref _globalStep, segment.Layout.Transitions);
                if (!_channel.Writer.TryWrite(segment))
                {
                    // Only a waiting channel refuses a write; a simulator's actor waits for room then.
                    _channel.Writer.Write(segment, stop.Token);
                }
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
    }

    private void LearnerLoop(CancellationTokenSource stop, ConcurrentQueue<Exception> failures)
    {
        var batch = new List<Segment<TObservation, TAction>>(_options.SegmentsPerUpdate);
        var timeout = TimeSpan.FromMilliseconds(50);
        try
        {
            while (!stop.IsCancellationRequested && GlobalStep < _options.TotalSteps)
            {
                DeliverEpisodes();
                if (!_channel.Reader.TryRead(out var segment, timeout, stop.Token))
                {
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
