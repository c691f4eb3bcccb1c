namespace Tempo.Core.Envs;

/// <summary>An env over an outside game program that it relaunches by itself: how many episodes ended because the game crashed or hung.</summary>
/// <remarks>
/// The learner sees such an episode only as a truncation; a run's metrics add these counts up over its envs
/// (<c>game_crashes</c>, <c>game_hangs</c> in <c>metrics.csv</c>), so a game that keeps failing shows.
/// </remarks>
public interface IGameFaultSource
{
    /// <summary>Episodes truncated because the game's process died, its window vanished or its memory became unreadable.</summary>
    long CrashCount { get; }

    /// <summary>Episodes truncated because the game stopped drawing and moving (its process alive but frozen).</summary>
    long HangCount { get; }

    /// <summary>What ended the last crashed or hung episode, as one line for people (null before the first); a run prints it when it changes.</summary>
    string? LastFault { get; }
}
