using Tempo.Algorithms.Learners;

namespace Tempo.Runtime.Metrics;

/// <summary>One periodic report of a training run: the row of metrics.csv and the scalars of TensorBoard.</summary>
/// <remarks>Fields that do not apply to a run (action gaps for a simulator, policy lag for a synchronous schedule) are null.</remarks>
public sealed record TrainingReport
{
    /// <summary>Environment steps taken so far, summed over all envs and actors.</summary>
    public required long GlobalStep { get; init; }

    /// <summary>Seconds since training started.</summary>
    public required double WallTimeSeconds { get; init; }

    /// <summary>Episodes finished so far.</summary>
    public required long Episodes { get; init; }

    /// <summary>Mean return of the last 20 finished episodes; null before the first one ends.</summary>
    public double? EpisodicReturnMean { get; init; }

    /// <summary>Mean length of the last 20 finished episodes; null before the first one ends.</summary>
    public double? EpisodicLengthMean { get; init; }

    /// <summary>Environment steps per second since the previous report.</summary>
    public required double StepsPerSecond { get; init; }

    /// <summary>Median wall-clock time between consecutive actions reaching a live env, in milliseconds.</summary>
    public double? ActionGapP50Milliseconds { get; init; }

    /// <summary>99th percentile of the action gap, in milliseconds.</summary>
    public double? ActionGapP99Milliseconds { get; init; }

    /// <summary>Largest action gap seen, in milliseconds.</summary>
    public double? ActionGapMaxMilliseconds { get; init; }

    /// <summary>Deadlines missed: for live envs, world ticks that ran a whole period or more late; for a real-time step clock, steps whose period stretched.</summary>
    public long? DeadlineOverruns { get; init; }

    /// <summary>Mean policy lag (learner version minus behaviour version) of the segments trained on.</summary>
    public double? PolicyLagMean { get; init; }

    /// <summary>Largest policy lag of the segments trained on.</summary>
    public long? PolicyLagMax { get; init; }

    /// <summary>Segments dropped because they were older than the lag limit.</summary>
    public long? SegmentsDroppedStale { get; init; }

    /// <summary>Segments dropped because the trajectory queue was full.</summary>
    public long? SegmentsDroppedQueueFull { get; init; }

    /// <summary>Learner updates (gradient steps) per second since the previous report.</summary>
    public double? LearnerUpdatesPerSecond { get; init; }

    /// <summary>Statistics of the most recent learner update, when one happened: a copy the report owns, which later updates do not change.</summary>
    public LearnerStatistics? Learner { get; init; }
}
