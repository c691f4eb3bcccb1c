using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Replay;

/// <summary>What every learner that trains from replay shares: it inserts segments step by step, counts env and gradient steps over the run, takes its gradient steps on its <see cref="ReplayCadence"/>, and can carry its buffer in checkpoints.</summary>
/// <remarks>
/// <para>An update replays CleanRL's loop over the segments' steps in order: the n-th env step of the run (counted from 1,
/// over all envs and actors) is inserted, then followed by the gradient steps the cadence owes by then, then by
/// <see cref="AfterEnvStep"/> (target updates). CleanRL counts from 0, so its cadence is the same shifted by one step;
/// counting from 1 makes a rollout of train-frequency steps end with the gradient step it feeds.</para>
/// <para>Its statistics are the algorithm's names followed by <c>charts/replay_size</c> and <c>charts/replay_ratio</c>
/// (gradient steps per env step since the first gradient step was due).</para>
/// </remarks>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
public abstract class ReplayLearner<TObservation, TAction> : ICheckpointableLearner<TObservation, TAction>, IReplayLearner
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly ReplayCadence _cadence;
    private readonly bool _checkpointReplay;
    private readonly int _replaySizeStatistic;
    private int _envsPerSegment;

    /// <summary>Sets up the shared part over <paramref name="replay"/>.</summary>
    /// <param name="replay">The buffer it inserts into and trains from.</param>
    /// <param name="cadence">When gradient steps are due.</param>
    /// <param name="checkpointReplay">Whether checkpoints carry the buffer.</param>
    /// <param name="statistics">The algorithm's own statistic names; the replay's two follow them.</param>
    /// <exception cref="ArgumentException">The cadence is out of range.</exception>
    protected ReplayLearner(ReplayBuffer<TObservation, TAction> replay, ReplayCadence cadence, bool checkpointReplay, IReadOnlyList<string> statistics)
    {
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(cadence);
        ArgumentNullException.ThrowIfNull(statistics);
        cadence.Validate();
        Replay = replay;
        _cadence = cadence;
        _checkpointReplay = checkpointReplay;
        _replaySizeStatistic = statistics.Count;
        Statistics = new LearnerStatistics([.. statistics, "charts/replay_size", "charts/replay_ratio"]);
    }

    /// <summary>The replay buffer it trains from.</summary>
    public ReplayBuffer<TObservation, TAction> Replay { get; }

    /// <summary>Env steps it has been given, over the whole run: CleanRL's <c>global_step</c>.</summary>
    public long EnvSteps { get; private set; }

    /// <summary>Gradient steps taken over the whole run (after a resume: those the cadence owed by the restored step, which it always holds).</summary>
    public long GradientSteps { get; private set; }

    /// <summary>Gradient steps per env step since learning started (0 before).</summary>
    public double ReplayRatio => EnvSteps <= _cadence.LearningStarts ? 0 : (double)GradientSteps / (EnvSteps - _cadence.LearningStarts);

    /// <inheritdoc/>
    public PolicyVersion Version { get; private set; }

    /// <inheritdoc/>
    public LearnerProgress Progress { get; private set; }

    /// <inheritdoc/>
    public abstract IReadOnlyList<NamedParameter> Parameters { get; }

    /// <inheritdoc/>
    public abstract IReadOnlyList<NamedOptimizer> Optimizers { get; }

    /// <inheritdoc/>
    public abstract IReadOnlyDictionary<RandomStreamKey, RandomSource> RandomStreams { get; }

    /// <inheritdoc/>
    public bool CheckpointsReplay => _checkpointReplay;

    /// <summary>The statistics every update returns; the algorithm writes its own names' values.</summary>
    protected LearnerStatistics Statistics { get; }

    /// <inheritdoc/>
    public LearnerStatistics Update(IReadOnlyList<Segment<TObservation, TAction>> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var stepsBefore = GradientSteps;
        for (var i = 0; i < _replaySizeStatistic; i++)
        {
            Statistics[i] = double.NaN;
        }

        for (var s = 0; s < segments.Count; s++)
        {
            var segment = segments[s];
            var envs = segment.Layout.Envs;
            if (_envsPerSegment == 0)
            {
                _envsPerSegment = envs;
            }

            var firstStream = segment.Actor.Value * _envsPerSegment;
            for (var t = 0; t < segment.Layout.Steps; t++)
            {
                Replay.AddSegmentStep(segment, t, firstStream);
                for (var i = 0; i < envs; i++)
                {
                    var step = ++EnvSteps;
                    var owed = _cadence.GradientStepsOwed(step);
                    while (GradientSteps < owed && Replay.Count > 0)
                    {
                        TrainStep(step);
                        GradientSteps++;
                    }

                    if (step > _cadence.LearningStarts)
                    {
                        AfterEnvStep(step);
                    }
                }
            }
        }

        var took = (int)(GradientSteps - stepsBefore);
        if (took > 0)
        {
            Version = Version.Next();
        }

        Progress = new LearnerProgress(Progress.Updates + 1, EnvSteps);
        OnUpdated();
        Statistics[_replaySizeStatistic] = Replay.Count;
        Statistics[_replaySizeStatistic + 1] = ReplayRatio;
        Statistics.GradientSteps = took;
        Statistics.PolicyVersion = Version.Value;
        return Statistics;
    }

    /// <inheritdoc/>
    public void SaveReplay(Stream stream) => Replay.Save(stream);

    /// <inheritdoc/>
    public void LoadReplay(Stream stream) => Replay.Load(stream);

    /// <inheritdoc/>
    public abstract PolicySnapshot Snapshot();

    /// <inheritdoc/>
    public abstract void CopySnapshotTo(PolicySnapshot target);

    /// <inheritdoc/>
    public void Restore(LearnerProgress progress, PolicyVersion version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(progress.Updates);
        ArgumentOutOfRangeException.ThrowIfNegative(progress.TrainedSteps);
        Progress = progress;
        EnvSteps = progress.TrainedSteps;
        GradientSteps = _cadence.GradientStepsOwed(EnvSteps);
        Version = version;
    }

    /// <summary>One gradient step, due after the <paramref name="step"/>-th env step (from 1) was inserted; its statistics go into <see cref="Statistics"/>.</summary>
    protected abstract void TrainStep(long step);

    /// <summary>What follows every env step past learning-starts once its gradient steps are taken: target network updates.</summary>
    protected abstract void AfterEnvStep(long step);

    /// <summary>After an update's steps: the algorithm's schedule statistics (ε, α, β).</summary>
    protected virtual void OnUpdated()
    {
    }
}
