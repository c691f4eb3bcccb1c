using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Core.Spaces;
using Tempo.Core.Vector;

namespace Tempo.Runtime.Actors;

/// <summary>The acting loop: a vector env and a policy snapshot turned into segments of experience.</summary>
/// <remarks>
/// Every step is tagged with the behaviour policy's log-probability and value and the policy's version. A
/// truncated episode's final observation is kept in the segment so the learner can bootstrap from it. The same
/// actor serves the synchronous schedule (collect, then the learner trains) and the asynchronous one (collect
/// forever on its own thread). Not thread-safe: one thread drives an actor; other threads may only read its own
/// state through <see cref="ReadBetweenSteps"/>.
/// </remarks>
public sealed class Actor<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly IVectorEnv<TObservation, TAction> _envs;
    private readonly IEpisodeObserver? _observer;
    private readonly VectorStepBuffers<TObservation> _buffers;
    private readonly TAction[] _actions;
    private readonly float[] _logProbs;
    private readonly float[] _values;
    private readonly int _observationSize;
    private readonly int _actionSize;
    private readonly ActorSafePoint _safePoint = new();
    private readonly List<EpisodeEnded> _heldEpisodes;
    private bool _holdingEpisodes;
    private long _segments;
    private long _steps;
    private bool _started;

    /// <summary>Creates an actor over <paramref name="envs"/> acting with <paramref name="policy"/>.</summary>
    /// <param name="id">The actor's id, stamped on its segments.</param>
    /// <param name="envs">The envs; the actor drives them but does not own them.</param>
    /// <param name="policy">The acting policy; the actor's own instance, into which snapshots are loaded.</param>
    /// <param name="observer">Told of every finished episode (needs a RecordEpisodeStatistics wrapper in each env), or null.</param>
    public Actor(ActorId id, IVectorEnv<TObservation, TAction> envs, IPolicy<TObservation, TAction> policy, IEpisodeObserver? observer = null)
    {
        Id = id;
        _envs = envs ?? throw new ArgumentNullException(nameof(envs));
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _observer = observer;
        _buffers = envs.CreateBuffers();
        _observationSize = envs.SingleObservationSpace.FlatSize;
        _actionSize = envs.SingleActionSpace.FlatSize;
        _actions = new TAction[envs.NumEnvs * _actionSize];
        _logProbs = new float[envs.NumEnvs];
        _values = new float[envs.NumEnvs];
        _heldEpisodes = new List<EpisodeEnded>(envs.NumEnvs);
    }

    /// <summary>The actor's id.</summary>
    public ActorId Id { get; }

    /// <summary>The acting policy.</summary>
    public IPolicy<TObservation, TAction> Policy { get; }

    /// <summary>Env steps taken, summed over the actor's envs; safe to read from any thread while the actor runs.</summary>
    public long Steps => Volatile.Read(ref _steps);

    /// <summary>Number of envs stepped together.</summary>
    public int NumEnvs => _envs.NumEnvs;

    /// <summary>The observation space of one of its envs.</summary>
    public Space<TObservation> ObservationSpace => _envs.SingleObservationSpace;

    /// <summary>The action space of one of its envs.</summary>
    public Space<TAction> ActionSpace => _envs.SingleActionSpace;

    /// <summary>Whether the actor's envs can pause.</summary>
    public bool CanPause => _envs.CanPause;

    /// <summary>The layout of segments this actor fills for <paramref name="steps"/> steps per env.</summary>
    public SegmentLayout LayoutFor(int steps) => new(steps, _envs.NumEnvs, _observationSize, _actionSize);

    /// <summary>Resets every env (env i with <c>seed + i</c>) and starts acting from their first observations.</summary>
    public void Start(int? seed)
    {
        _safePoint.Enter();
        try
        {
            _envs.Reset(_buffers, seed);
            _started = true;
        }
        finally
        {
            _safePoint.Exit();
        }
    }

    /// <summary>Runs <paramref name="read"/> where the actor's own state (its policy's random stream, its envs and their wrappers) is consistent, and returns the result; callable from any thread.</summary>
    /// <remarks>
    /// While the actor is not collecting, <paramref name="read"/> runs at once on the calling thread and the actor
    /// cannot start meanwhile; while it collects, <paramref name="read"/> runs on the actor's thread right after its
    /// current env step and the caller waits for it. Keep it short: a live env's next action waits too.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the actor reached a step boundary.</exception>
    public TResult ReadBetweenSteps<TResult>(Func<TResult> read, CancellationToken cancellationToken = default) =>
        _safePoint.Read(read, cancellationToken);

    /// <summary>Whether a read from another thread is waiting for the actor's current step to end; lets a test know the request was made before it lets the step finish.</summary>
    internal bool IsReadWaiting => _safePoint.IsRequested;

    /// <summary>Steps the envs <c>segment.Layout.Steps</c> times, filling <paramref name="segment"/>.</summary>
    public void Collect(Segment<TObservation, TAction> segment) => Collect(segment, holdEpisodes: false);

    /// <summary>
    /// Fills <paramref name="segment"/> as <see cref="Collect(Segment{TObservation, TAction})"/> does, but holds the episodes
    /// that end until <see cref="DeliverHeldEpisodes"/>: actors collecting at once on several threads hand their episodes
    /// to a shared observer afterwards, one actor after another, so it hears them in the order of collecting in turn.
    /// </summary>
    public void CollectHoldingEpisodes(Segment<TObservation, TAction> segment) => Collect(segment, holdEpisodes: true);

    /// <summary>Tells the observer of the episodes held by <see cref="CollectHoldingEpisodes"/>, in the order they ended.</summary>
    public void DeliverHeldEpisodes()
    {
        foreach (var episode in _heldEpisodes)
        {
            _observer?.OnEpisodeEnded(episode);
        }

        _heldEpisodes.Clear();
    }

    private void Collect(Segment<TObservation, TAction> segment, bool holdEpisodes)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (!_started)
        {
            throw new InvalidOperationException($"{Id}: call Start before Collect.");
        }

        var layout = segment.Layout;
        if (layout != LayoutFor(layout.Steps))
        {
            throw new ArgumentException($"{Id} fills segments of layout {LayoutFor(layout.Steps)}; got {layout}.", nameof(segment));
        }

        _safePoint.Enter();
        _holdingEpisodes = holdEpisodes;
        try
        {
            Fill(segment, layout);
        }
        finally
        {
            _holdingEpisodes = false;
            _safePoint.Exit();
        }
    }

    /// <summary>Pauses the envs' worlds (between collecting and training).</summary>
    public void Pause()
    {
        _safePoint.Enter();
        try
        {
            _envs.Pause();
        }
        finally
        {
            _safePoint.Exit();
        }
    }

    /// <summary>Resumes the envs; acting continues from their fresh observations.</summary>
    public void Resume()
    {
        _safePoint.Enter();
        try
        {
            _envs.Resume(_buffers);
        }
        finally
        {
            _safePoint.Exit();
        }
    }

    private void Fill(Segment<TObservation, TAction> segment, SegmentLayout layout)
    {
        segment.Clear();
        segment.Actor = Id;
        segment.Sequence = _segments++;
        segment.BehaviourVersion = Policy.Version;
        var envs = layout.Envs;
        var observationsPerStep = envs * _observationSize;
        for (var t = 0; t < layout.Steps; t++)
        {
            var observations = _buffers.Observations;
            observations.CopyTo(segment.Observations.Slice(t * observationsPerStep, observationsPerStep));
            Policy.Act(observations, envs, ActionSelection.Sample, _actions, _logProbs, _values);
            _envs.Step(_actions, _buffers);
            // One writer (the actor's thread); other threads read the count while it runs.
            Volatile.Write(ref _steps, _steps + envs);

            var row = t * envs;
            _actions.CopyTo(segment.Actions.Slice(row * _actionSize, envs * _actionSize));
            _logProbs.CopyTo(segment.BehaviourLogProbs.Slice(row, envs));
            _values.CopyTo(segment.BehaviourValues.Slice(row, envs));
            _buffers.Rewards.CopyTo(segment.Rewards.Slice(row, envs));
            _buffers.Terminated.CopyTo(segment.Terminated.Slice(row, envs));
            _buffers.Truncated.CopyTo(segment.Truncated.Slice(row, envs));
            for (var i = 0; i < envs; i++)
            {
                if (!_buffers.HasFinal(i))
                {
                    continue;
                }

                if (_buffers.Truncated[i] && !_buffers.Terminated[i])
                {
                    _buffers.FinalObservation(i).CopyTo(segment.FinalObservations.Slice((row + i) * _observationSize, _observationSize));
                }

                if (_buffers.FinalEpisode(i) is { } episode)
                {
                    segment.Episodes.Add(new SegmentEpisode(i, episode));
                    var ended = new EpisodeEnded(Id, i, _steps, episode);
                    if (_holdingEpisodes)
                    {
                        _heldEpisodes.Add(ended);
                    }
                    else
                    {
                        _observer?.OnEpisodeEnded(ended);
                    }
                }
            }

            if (_safePoint.IsRequested)
            {
                _safePoint.Serve();
            }
        }

        _buffers.Observations.CopyTo(segment.BootstrapObservations);
    }
}
