using Tempo.Core.Timing;

namespace Tempo.Core.Envs.Live;

/// <summary>A snapshot of an env's action gaps: the wall-clock time between consecutive actions reaching it.</summary>
/// <param name="Window">The gaps since the window was last reset (at most its capacity, the most recent); exact percentiles.</param>
/// <param name="Run">Every gap since the env was created; percentiles within 0.8 %.</param>
/// <remarks>No gap spans a Reset or a pause: the first action after either starts a new sequence.</remarks>
public readonly record struct ActionGapStatistics(DurationSummary Window, DurationSummary Run);
