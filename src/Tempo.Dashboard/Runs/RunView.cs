using System.Text.Json;

namespace Tempo.Dashboard.Runs;

/// <summary>One run folder as the dashboard shows it: its facts, its problem if any, and its metrics rows.</summary>
/// <param name="Name">The folder's name (with <c>-2</c>, <c>-3</c>… when two folders share one); the key in every endpoint.</param>
/// <param name="Directory">The folder's full path.</param>
/// <param name="Error">Why the folder shows nothing or less than it holds (missing, no run, a bad row); null when all is well.</param>
/// <param name="Facts">What <c>config.json</c> and the checkpoint say; null until <c>config.json</c> exists.</param>
/// <param name="Columns">The <c>metrics.csv</c> header, in file order.</param>
/// <param name="Rows">One row per report, one value per column; null for an empty or non-finite cell. Empty in listings.</param>
/// <param name="RowCount">How many rows the run has so far.</param>
public sealed record RunView(string Name, string Directory, string? Error, RunFacts? Facts, IReadOnlyList<string> Columns, IReadOnlyList<double?[]> Rows, int RowCount);

/// <summary>A run's facts: what trained, how, since when, and its last checkpoint.</summary>
/// <param name="Env">The env id.</param>
/// <param name="Algorithm">The algorithm (<c>ppo</c>, <c>appo</c>, <c>impala</c>).</param>
/// <param name="StartedUtc">When the run wrote its <c>config.json</c>.</param>
/// <param name="TickRateHz">The live env's tick rate when the config sets one (the action gap's period is its inverse); otherwise null.</param>
/// <param name="Config">The whole <c>config.json</c>.</param>
/// <param name="Checkpoint">The last checkpoint; null before the first.</param>
public sealed record RunFacts(string? Env, string? Algorithm, DateTimeOffset StartedUtc, double? TickRateHz, JsonElement Config, CheckpointFacts? Checkpoint);

/// <summary>What a run's last checkpoint records.</summary>
/// <param name="WrittenUtc">When the file was last written.</param>
/// <param name="PolicyVersion">The policy version it holds.</param>
/// <param name="GlobalStep">Env steps at the checkpoint.</param>
/// <param name="Updates">Learner updates at the checkpoint.</param>
public sealed record CheckpointFacts(DateTimeOffset WrittenUtc, long PolicyVersion, long GlobalStep, long Updates);

/// <summary>Rows a run folder gained since the last push.</summary>
/// <param name="Run">The run's name.</param>
/// <param name="FirstRow">The index of the first new row (the run's row count before them).</param>
/// <param name="Rows">The new rows, in the run's column order.</param>
public sealed record RunPoints(string Run, int FirstRow, IReadOnlyList<double?[]> Rows);
