using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Learners.DataParallel;
using Tempo.Algorithms.Policies;
using Tempo.Runtime.Actors;

namespace Tempo.Runtime.Schedules;

/// <summary>CleanRL/RLlib-style PPO schedule: the actors collect, the envs pause, the learner trains, the envs resume.</summary>
/// <remarks>
/// Pausing is exact: the last Step of a rollout comes before Pause, and the first Step of the next rollout after
/// Resume, which hands the actor a fresh observation (a live world may have moved). Envs that cannot pause keep
/// running on their own clock while the learner trains — which is why live games want the asynchronous schedule.
/// </remarks>
public sealed class SynchronousSchedule<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly Actor<TObservation, TAction>[] _actors;
    private readonly ILearner<TObservation, TAction> _learner;
    private readonly SynchronousScheduleOptions _options;
    private readonly ITrainingCallbacks _callbacks;
    private readonly Segment<TObservation, TAction>[] _segments;
    private readonly LearnerRanks? _ranks;
    private readonly Action<int> _collectOnRank;

    /// <summary>Creates the schedule; actors must have been started.</summary>
    /// <param name="actors">The actors, collecting one after another (or at once, see <paramref name="ranks"/>).</param>
    /// <param name="learner">The learner.</param>
    /// <param name="options">Iterations, steps per rollout, pausing.</param>
    /// <param name="callbacks">The training hooks.</param>
    /// <param name="ranks">
    /// A data-parallel learner's ranks, one per actor, or null: actor k then collects on rank k's thread, all at once, and
    /// the episodes they finish reach their observers afterwards in actor order, so a run is the same as collecting in turn.
    /// </param>
    public SynchronousSchedule(
        IReadOnlyList<Actor<TObservation, TAction>> actors,
        ILearner<TObservation, TAction> learner,
        SynchronousScheduleOptions options,
        ITrainingCallbacks callbacks,
        LearnerRanks? ranks = null)
    {
        ArgumentNullException.ThrowIfNull(actors);
        if (actors.Count == 0)
        {
            throw new ArgumentException("The schedule needs at least one actor.", nameof(actors));
        }

        _actors = [.. actors];
        _learner = learner ?? throw new ArgumentNullException(nameof(learner));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _callbacks = callbacks ?? throw new ArgumentNullException(nameof(callbacks));
        options.Validate();
        _segments = actors.Select(a => new Segment<TObservation, TAction>(a.LayoutFor(options.StepsPerRollout))).ToArray();
        if (ranks is not null && ranks.Count != actors.Count)
        {
            throw new ArgumentException($"Collecting at once needs one rank per actor; got {ranks.Count} ranks for {actors.Count} actors.", nameof(ranks));
        }

        _ranks = ranks;
        _collectOnRank = k => _actors[k].CollectHoldingEpisodes(_segments[k]);
    }

    /// <summary>Iterations completed.</summary>
    public long Iteration { get; private set; }

    /// <summary>Env steps over all actors.</summary>
    public long GlobalStep
    {
        get
        {
            var steps = 0L;
            foreach (var actor in _actors)
            {
                steps += actor.Steps;
            }

            return steps;
        }
    }

    /// <summary>Runs the iterations, or until <paramref name="cancellationToken"/> is cancelled (checked between iterations).</summary>
    /// <remarks>One snapshot is taken and then overwritten after every update, so a long run allocates no weights per update.</remarks>
    public void Run(CancellationToken cancellationToken = default)
    {
        var snapshot = _learner.Snapshot();
        LoadIntoActors(snapshot);

        while (Iteration < _options.Iterations && !cancellationToken.IsCancellationRequested)
        {
            var iteration = Iteration + 1;
            Collect();

            _callbacks.OnRolloutEnded(new RolloutEnded(iteration, GlobalStep));
            var paused = _options.PauseDuringUpdates && CanAllPause();
            if (paused)
            {
                foreach (var actor in _actors)
                {
                    actor.Pause();
                }
            }

            _callbacks.OnUpdateStarting(new UpdateStarting(iteration, GlobalStep, paused));
            var statistics = _learner.Update(_segments);
            _learner.CopySnapshotTo(snapshot);
            LoadIntoActors(snapshot);

            _callbacks.OnUpdateFinished(new UpdateFinished(iteration, GlobalStep, statistics));
            if (paused)
            {
                foreach (var actor in _actors)
                {
                    actor.Resume();
                }
            }

            Iteration = iteration;
        }
    }

    private void Collect()
    {
        if (_ranks is null)
        {
            for (var k = 0; k < _actors.Length; k++)
            {
                _actors[k].Collect(_segments[k]);
            }

            return;
        }

        _ranks.Run(_collectOnRank);
        foreach (var actor in _actors)
        {
            actor.DeliverHeldEpisodes();
        }
    }

    private void LoadIntoActors(PolicySnapshot snapshot)
    {
        foreach (var actor in _actors)
        {
            actor.Policy.Load(snapshot);
        }
    }

    private bool CanAllPause()
    {
        foreach (var actor in _actors)
        {
            if (!actor.CanPause)
            {
                return false;
            }
        }

        return true;
    }
}
