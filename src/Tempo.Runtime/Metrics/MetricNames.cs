namespace Tempo.Runtime.Metrics;

/// <summary>The scalar tags the runtime itself writes to TensorBoard event files, named as CleanRL names them where CleanRL has the metric.</summary>
/// <remarks>
/// <c>charts/</c> follows CleanRL's ppo.py so curves can be overlaid with CleanRL runs; <c>live/</c> holds the timing
/// of live envs and <c>async/</c> the bookkeeping of the actor-learner channels. A learner's own statistics (losses,
/// learning rate, …) are tagged with the names the learner gives them (<see cref="Algorithms.Learners.LearnerStatistics"/>).
/// </remarks>
public static class MetricNames
{
    /// <summary>Return of one finished episode, logged at the step it ended (CleanRL).</summary>
    public const string EpisodicReturn = "charts/episodic_return";

    /// <summary>Length of one finished episode, logged at the step it ended (CleanRL).</summary>
    public const string EpisodicLength = "charts/episodic_length";

    /// <summary>Mean return of the last 20 finished episodes, per report.</summary>
    public const string EpisodicReturnMean = "charts/episodic_return_mean";

    /// <summary>Mean length of the last 20 finished episodes, per report.</summary>
    public const string EpisodicLengthMean = "charts/episodic_length_mean";

    /// <summary>Farthest x one finished episode reached (envs exposing the player's position), logged at the step it ended.</summary>
    public const string EpisodicXReached = "charts/episodic_x_reached";

    /// <summary>Mean farthest x reached over the last 20 finished episodes, per report.</summary>
    public const string EpisodicXReachedMean = "charts/episodic_x_reached_mean";

    /// <summary>Episodes finished so far.</summary>
    public const string Episodes = "charts/episodes";

    /// <summary>Environment steps per second (CleanRL).</summary>
    public const string StepsPerSecond = "charts/SPS";

    /// <summary>Learner updates (gradient steps) per second.</summary>
    public const string LearnerUpdatesPerSecond = "charts/learner_updates_per_s";

    /// <summary>Policy version after the last update.</summary>
    public const string PolicyVersion = "charts/policy_version";

    /// <summary>Gradient steps the last update took.</summary>
    public const string GradientSteps = "charts/gradient_steps";

    /// <summary>Median action gap of a live env, in milliseconds.</summary>
    public const string ActionGapP50Milliseconds = "live/action_gap_p50_ms";

    /// <summary>99th percentile action gap of a live env, in milliseconds.</summary>
    public const string ActionGapP99Milliseconds = "live/action_gap_p99_ms";

    /// <summary>Largest action gap of a live env, in milliseconds.</summary>
    public const string ActionGapMaxMilliseconds = "live/action_gap_max_ms";

    /// <summary>Episodes truncated because a game crashed (envs that run a game).</summary>
    public const string GameCrashes = "live/game_crashes";

    /// <summary>Episodes truncated because a game hung, alive but frozen (envs that run a game).</summary>
    public const string GameHangs = "live/game_hangs";

    /// <summary>Steps whose deadline the actor missed.</summary>
    public const string DeadlineOverruns = "live/deadline_overruns";

    /// <summary>Mean policy lag of the segments trained on.</summary>
    public const string PolicyLagMean = "async/policy_lag_mean";

    /// <summary>Largest policy lag of the segments trained on.</summary>
    public const string PolicyLagMax = "async/policy_lag_max";

    /// <summary>Segments dropped for being older than the lag limit.</summary>
    public const string SegmentsDroppedStale = "async/segments_dropped_stale";

    /// <summary>Segments dropped because the trajectory queue was full.</summary>
    public const string SegmentsDroppedQueueFull = "async/segments_dropped_queue_full";
}
