namespace Tempo.Core.Envs;

/// <summary>The summary of one finished episode.</summary>
/// <param name="Return">Sum of the rewards received (undiscounted, before any reward wrapper downstream).</param>
/// <param name="Length">Number of steps.</param>
/// <param name="WallTimeSeconds">Wall-clock time from reset to the last step.</param>
/// <param name="XReached">
/// The farthest x the player reached (at the reset or after any step), for an env that exposes its player's position
/// (<see cref="IPositionSource"/>); null for any other env.
/// </param>
public readonly record struct EpisodeStatistics(double Return, int Length, double WallTimeSeconds, double? XReached = null);
