using Tempo.Runtime.Metrics;
using Tempo.Runtime.Schedules;

namespace Tempo.Runtime.Runs;

/// <summary>What a caller of <see cref="Trainer.Train"/> may plug into a run: a progress display, a line printer, the clock, and its own callbacks.</summary>
public sealed record RunHooks
{
    /// <summary>Another sink for reports and episodes besides the run folder's CSV and TensorBoard files (a console display); null for none.</summary>
    public IMetricsSink? Progress { get; init; }

    /// <summary>Prints a line for people (the solved line); null prints nothing.</summary>
    public Action<string>? Announce { get; init; }

    /// <summary>The clock of reports and wall times.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The caller's own training callbacks (rollout ended, update starting and finished, episode ended), called after the run's own; null for none.</summary>
    public ITrainingCallbacks? Callbacks { get; init; }
}
