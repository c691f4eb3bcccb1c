using Tempo.Algorithms.Learners;

namespace Tempo.Runtime.Metrics;

/// <summary>One periodic report of a training run: the row of metrics.csv and the scalars of TensorBoard.</summary>
/// <remarks>
/// <para>Fields that do not apply to a run (action gaps for a simulator, policy lag for a synchronous schedule) are null.</para>
/// <para>The <see cref="Training.TrainingMonitor"/> fills one report in place for every write, so reporting allocates
/// nothing (a garbage collection would pause the actors): a report handed to <see cref="IMetricsSink.Write"/> holds its
/// values until the next write, and a sink that keeps it longer keeps a <see cref="Copy"/>.</para>
/// </remarks>
public sealed record TrainingReport
{
    /// <summary>Environment steps taken so far, summed over all envs and actors.</summary>
    public required long GlobalStep { get; set; }

    /// <summary>Seconds since training started.</summary>
    public required double WallTimeSeconds { get; set; }

    /// <summary>Episodes finished so far.</summary>
    public required long Episodes { get; set; }

    /// <summary>Mean return of the last 20 finished episodes; null before the first one ends.</summary>
    public double? EpisodicReturnMean { get; set; }

    /// <summary>Mean length of the last 20 finished episodes; null before the first one ends.</summary>
    public double? EpisodicLengthMean { get; set; }

    /// <summary>Mean farthest x reached over the last 20 finished episodes, for envs that expose the player's position; null otherwise.</summary>
    public double? EpisodicXReachedMean { get; set; }

    /// <summary>Environment steps per second since the previous report.</summary>
    public required double StepsPerSecond { get; set; }

    /// <summary>Median wall-clock time between consecutive actions reaching a live env, in milliseconds.</summary>
    public double? ActionGapP50Milliseconds { get; set; }

    /// <summary>99th percentile of the action gap, in milliseconds.</summary>
    public double? ActionGapP99Milliseconds { get; set; }

    /// <summary>Largest action gap seen, in milliseconds.</summary>
    public double? ActionGapMaxMilliseconds { get; set; }

    /// <summary>Deadlines missed: for live envs, world ticks that ran a whole period or more late; for a real-time step clock, steps whose period stretched.</summary>
    public long? DeadlineOverruns { get; set; }

    /// <summary>Episodes truncated because a game crashed, summed over the run's envs that run a game (<see cref="Core.Envs.IGameFaultSource"/>); null without such envs.</summary>
    public long? GameCrashes { get; set; }

    /// <summary>Episodes truncated because a game hung (alive but frozen), summed over the run's envs that run a game; null without such envs.</summary>
    public long? GameHangs { get; set; }

    /// <summary>What ended the last episode a game crashed or hung in, over the run's envs (<see cref="Core.Envs.IGameFaultSource.LastFault"/>); null before the first.</summary>
    public string? LastGameFault { get; set; }

    /// <summary>Mean policy lag (learner version minus behaviour version) of the segments trained on.</summary>
    public double? PolicyLagMean { get; set; }

    /// <summary>Largest policy lag of the segments trained on.</summary>
    public long? PolicyLagMax { get; set; }

    /// <summary>Segments dropped because they were older than the lag limit.</summary>
    public long? SegmentsDroppedStale { get; set; }

    /// <summary>Segments dropped because the trajectory queue was full.</summary>
    public long? SegmentsDroppedQueueFull { get; set; }

    /// <summary>Learner updates (gradient steps) per second since the previous report.</summary>
    public double? LearnerUpdatesPerSecond { get; set; }

    /// <summary>Statistics of the most recent learner update, when one happened: a copy the report's owner keeps, which later updates do not change.</summary>
    public LearnerStatistics? Learner { get; set; }

    /// <summary>A copy with its own learner statistics, which later reports of the same owner do not change.</summary>
    public TrainingReport Copy() => this with { Learner = Learner?.Copy() };
}
