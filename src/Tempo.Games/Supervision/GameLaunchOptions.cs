using Tempo.Games.Memory;

namespace Tempo.Games.Supervision;

/// <summary>How to start a game, know it is playable, and watch it: everything <see cref="GameInstance"/> needs, as data.</summary>
public sealed record GameLaunchOptions
{
    /// <summary>The game's executable.</summary>
    public required string Executable { get; init; }

    /// <summary>Command-line arguments, one per element (no shell quoting).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Environment variables added to the game's (DISPLAY is set by the instance).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The game's working directory, or null for the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// An X display that already runs (e.g. <c>":0"</c>, the user's own) to show the game on; null starts a private Xvfb
    /// for it. The game window must keep the key focus there: keys go to the focused window.
    /// </summary>
    public string? Display { get; init; }

    /// <summary>The virtual screen's width; the game window should fill it so that it has the key focus without a window manager.</summary>
    public int ScreenWidth { get; init; } = 640;

    /// <summary>The virtual screen's height.</summary>
    public int ScreenHeight { get; init; } = 480;

    /// <summary>Keys pressed, one at a time, until the game is playable (an intro card's "press any key"); empty when there is none.</summary>
    public IReadOnlyList<string> SkipKeys { get; init; } = [];

    /// <summary>How long to wait after each skip key before looking again.</summary>
    public TimeSpan SkipInterval { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Whether the game shows play (past menus and intro cards); null: playable once the first frame changed and the skip keys were pressed once.</summary>
    public Func<GameInstance, bool>? IsPlayable { get; init; }

    /// <summary>How long launch may take to reach play before the attempt fails.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Launch attempts per (re)start before giving up.</summary>
    public int MaxLaunchAttempts { get; init; } = 3;

    /// <summary>The pointer chains to read (validated once playable), or null for no memory back end.</summary>
    public ChainFile? Chains { get; init; }

    /// <summary>How long pixel-identical frames mean the game froze (<see cref="GameHealth.Frozen"/>); null never calls it frozen. Longer than the game's longest still scene.</summary>
    public TimeSpan? FrozenAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive failing memory reads that mean the memory back end lost the game (<see cref="GameHealth.MemoryFailing"/>).</summary>
    public int MaxFailedReads { get; init; } = 5;

    /// <summary>How long the game gets to exit after SIGTERM before SIGKILL.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Executable))
        {
            throw new ArgumentException("the game's executable is empty");
        }

        if (ScreenWidth <= 0 || ScreenHeight <= 0)
        {
            throw new ArgumentException($"the screen must be positive, got {ScreenWidth}x{ScreenHeight}");
        }

        if (MaxLaunchAttempts < 1)
        {
            throw new ArgumentException($"MaxLaunchAttempts must be at least 1, got {MaxLaunchAttempts}");
        }

        if (ReadyTimeout <= TimeSpan.Zero || SkipInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ReadyTimeout ({ReadyTimeout}) and SkipInterval ({SkipInterval}) must be positive");
        }

        if (MaxFailedReads < 1)
        {
            throw new ArgumentException($"MaxFailedReads must be at least 1, got {MaxFailedReads}");
        }
    }
}
