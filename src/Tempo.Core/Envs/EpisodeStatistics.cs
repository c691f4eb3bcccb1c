namespace Tempo.Core.Envs;

/// <summary>The summary of one finished episode.</summary>
/// <param name="Return">Sum of the rewards received (undiscounted, before any reward wrapper downstream).</param>
/// <param name="Length">Number of steps.</param>
/// <param name="WallTimeSeconds">Wall-clock time from reset to the last step.</param>
public readonly record struct EpisodeStatistics(double Return, int Length, double WallTimeSeconds);
