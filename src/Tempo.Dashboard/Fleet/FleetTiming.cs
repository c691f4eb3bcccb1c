namespace Tempo.Dashboard.Fleet;

/// <summary>A fleet's live timing over time, one row per fleet read, from its actors' heartbeats: for a fleet, the learner's <c>metrics.csv</c> has no action gaps or late ticks (its envs are on other machines), so the dashboard records them as they come.</summary>
/// <param name="Run">The fleet's run name.</param>
/// <param name="Columns"><see cref="ColumnNames"/>.</param>
/// <param name="Rows">One row per fleet read that Redis answered, oldest first; null where no actor reported the value.</param>
/// <remarks>
/// Gaps are the worst alive actor's (each heartbeat's p50, p99 and max over its last interval): one actor missing its
/// deadline is a failure even if the others keep theirs, the rule a run's own <c>metrics.csv</c> follows for its envs,
/// and the actors table names which actor it is. Policy lag is the mean and max over alive actors. Late ticks and drops
/// are counts since the dashboard's first read (a member seen for the first time brings its whole count; a restarted
/// one, with a new incarnation, starts again from its own zero). Only what this dashboard read is kept: the history
/// starts with the dashboard, not with the run.
/// </remarks>
public sealed record FleetTiming(string Run, IReadOnlyList<string> Columns, IReadOnlyList<double?[]> Rows)
{
    /// <summary>The columns of every row, in order; the timing ones are named as in <c>metrics.csv</c>.</summary>
    /// <remarks><c>unix_time_s</c> is when the fleet was read (the dashboard's clock), <c>actors_alive</c> how many actors beat then.</remarks>
    public static IReadOnlyList<string> ColumnNames { get; } =
    [
        "unix_time_s", "actors_alive", "action_gap_p50_ms", "action_gap_p99_ms", "action_gap_max_ms", "deadline_overruns",
        "policy_lag_mean", "policy_lag_max", "segments_dropped_stale", "segments_dropped_queue_full",
    ];
}
