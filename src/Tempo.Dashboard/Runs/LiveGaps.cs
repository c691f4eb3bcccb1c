namespace Tempo.Dashboard.Runs;

/// <summary>A live run's timing over the run: action gaps against the period, late ticks, policy lag and drops.</summary>
/// <param name="Run">The run's name.</param>
/// <param name="PeriodMs">The env's tick period in milliseconds when the config sets a tick rate; otherwise null.</param>
/// <param name="Columns">The columns of <paramref name="Rows"/>: <see cref="ColumnNames"/> that the run has.</param>
/// <param name="Rows">One row per report.</param>
public sealed record LiveGaps(string Run, double? PeriodMs, IReadOnlyList<string> Columns, IReadOnlyList<double?[]> Rows)
{
    /// <summary>The <c>metrics.csv</c> columns this view keeps, in order.</summary>
    public static IReadOnlyList<string> ColumnNames { get; } =
    [
        "global_step", "wall_time_s", "action_gap_p50_ms", "action_gap_p99_ms", "action_gap_max_ms", "deadline_overruns",
        "policy_lag_mean", "policy_lag_max", "segments_dropped_stale", "segments_dropped_queue_full",
    ];

    /// <summary>The live timing columns of <paramref name="run"/>.</summary>
    public static LiveGaps Of(RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var keep = ColumnNames.Select(name => (name, index: IndexOf(run.Columns, name))).Where(c => c.index >= 0).ToArray();
        var rows = run.Rows.Select(row => keep.Select(c => row[c.index]).ToArray()).ToArray();
        return new LiveGaps(run.Name, run.Facts?.TickRateHz is > 0 and var rate ? 1000 / rate : null, keep.Select(c => c.name).ToArray(), rows);
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
