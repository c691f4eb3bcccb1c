namespace Tempo.Games.Supervision;

/// <summary>What <see cref="GameInstance.CheckHealth"/> found.</summary>
public enum GameHealth
{
    /// <summary>The game runs, draws and its memory reads.</summary>
    Running,

    /// <summary>The game's process ended (it crashed, was killed, or quit by itself, e.g. after a level-finished sequence).</summary>
    Exited,

    /// <summary>The window showed the same picture for longer than <see cref="GameLaunchOptions.FrozenAfter"/>.</summary>
    Frozen,

    /// <summary>The pointer chains failed <see cref="GameLaunchOptions.MaxFailedReads"/> times in a row.</summary>
    MemoryFailing,
}
