namespace Tempo.Games.SuperTux;

/// <summary>How <c>SuperTux-v0</c> is made: the level, the window, the clock, the actions, the observation and the reward weights.</summary>
/// <remarks>
/// Read from a run config's <c>env-options</c> (kebab-case keys, e.g. <c>"frame-skip": 4</c>). The defaults are the
/// seed user's setup: 64×64 gray frames stacked 4 plus features, frame skip 4 at 60 ticks a second (15 agent steps a
/// second), a 120 s cap, stagnation after 10 px in 4 s, milestones every 500 px, a death-zone radius of 150 px, and a
/// pause after 1 s without actions.
/// </remarks>
public sealed record SuperTuxOptions
{
    /// <summary>A level file to play; null plays the generated level with two pits (<see cref="SuperTuxLevel.TwoPits"/>).</summary>
    public string? LevelFile { get; init; }

    /// <summary>The generated level's width in tiles (80: the finish at x = 2304 behind both pits; 30 puts it at x = 704, before them).</summary>
    public int LevelWidthTiles { get; init; } = 80;

    /// <summary>The game's executable.</summary>
    public string Executable { get; init; } = SuperTuxGame.DebianExecutable;

    /// <summary>
    /// An X display already running to show the game on (e.g. <c>":0"</c>, the user's own, to watch it train); null
    /// starts a private Xvfb per game. The game window must keep the key focus there.
    /// </summary>
    public string? Display { get; init; }

    /// <summary>The game window's width in pixels.</summary>
    public int WindowWidth { get; init; } = 640;

    /// <summary>The game window's height in pixels.</summary>
    public int WindowHeight { get; init; } = 480;

    /// <summary>The env's ticks per second of game time (of wall time at speed 1): each tick applies the held keys, reads memory and captures a frame.</summary>
    public double TickRateHertz { get; init; } = 60;

    /// <summary>Ticks per agent step (the action is held; rewards are summed).</summary>
    public int FrameSkip { get; init; } = 4;

    /// <summary>The game's speed for generated levels (1 is normal); null leaves the game's own. The env's clock runs at it (<see cref="Tempo.Core.Envs.Live.LiveTickOptions.WorldSpeed"/>): ticks, hold time and the idle pause count game time.</summary>
    public double? GameSpeed { get; init; }

    /// <summary>The actions, by name (<see cref="SuperTuxActions"/>), in action-index order.</summary>
    public IReadOnlyList<string> Actions { get; init; } = SuperTuxActions.Default;

    /// <summary>Observe only the stacked frames instead of the dict of frames and features.</summary>
    public bool PixelsOnly { get; init; }

    /// <summary>The side of the square gray frame in pixels.</summary>
    public int FrameSize { get; init; } = 64;

    /// <summary>Frames stacked in each observation.</summary>
    public int FrameStack { get; init; } = 4;

    /// <summary>Reward per pixel of new progress in x (beyond the farthest x of the episode).</summary>
    public float ProgressReward { get; init; } = 0.01f;

    /// <summary>Reward per coin collected.</summary>
    public float CoinReward { get; init; } = 0.5f;

    /// <summary>Reward of a death (falling out of the level, or the teleport back to the spawn).</summary>
    public float DeathReward { get; init; } = -5;

    /// <summary>Reward for finishing the level.</summary>
    public float FinishReward { get; init; } = 20;

    /// <summary>The x distance that, lost in one step, is a death by teleport back to the spawn.</summary>
    public float TeleportDropPixels { get; init; } = 200;

    /// <summary>The fraction of x that, lost in one step, is a death by teleport; null (the default) turns the fraction rule off.</summary>
    /// <remarks>
    /// Off by default: SuperTux respawns at x = 96, where the seed user's 50 % is 48 px, one step of walking left at game
    /// speed 3 (and near the left edge, where x may go below 0, any fraction fires), so the rule would end episodes that
    /// merely walked back; falling out of the level is caught from y anyway.
    /// </remarks>
    public float? TeleportDropFraction { get; init; }

    /// <summary>The x distance between milestones.</summary>
    public float MilestoneSpacing { get; init; } = 500;

    /// <summary>Reward per milestone reached.</summary>
    public float MilestoneReward { get; init; } = 1;

    /// <summary>How close (x) to an earlier death a death must be to cost <see cref="RepeatDeathReward"/> too.</summary>
    public float DeathZoneRadius { get; init; } = 150;

    /// <summary>The extra reward of dying again near an earlier death.</summary>
    public float RepeatDeathReward { get; init; } = -2;

    /// <summary>The longest episode in seconds of wall time (not counting pauses).</summary>
    public double TimeCapSeconds { get; init; } = 120;

    /// <summary>The least x movement that is progress.</summary>
    public float StagnationPixels { get; init; } = 10;

    /// <summary>How long x may make no progress before the episode is truncated.</summary>
    public double StagnationSeconds { get; init; } = 4;

    /// <summary>
    /// How long the game may show exactly the same picture with Tux not moving, while it should be playing, before it
    /// counts as hung (alive but frozen): the episode is truncated and the reset relaunches it. 0 turns the check off.
    /// </summary>
    public double HangSeconds { get; init; } = 5;

    /// <summary>The game pauses itself after this long without an action (a stalled actor); 0 turns the idle pause off.</summary>
    public double IdlePauseSeconds { get; init; } = 1;

    /// <summary>Throws naming the first option out of range and its value.</summary>
    public void Validate()
    {
        Require(WindowWidth is >= 64 and <= 4096, nameof(WindowWidth), WindowWidth, "must lie in [64, 4096]");
        Require(WindowHeight is >= 64 and <= 4096, nameof(WindowHeight), WindowHeight, "must lie in [64, 4096]");
        Require(TickRateHertz is > 0 and <= 240, nameof(TickRateHertz), TickRateHertz, "must lie in (0, 240]");
        Require(LevelWidthTiles is >= 16 and <= 1000, nameof(LevelWidthTiles), LevelWidthTiles, "must lie in [16, 1000]");
        Require(FrameSkip >= 1, nameof(FrameSkip), FrameSkip, "must be at least 1");
        Require(GameSpeed is null or (> 0 and <= 10), nameof(GameSpeed), GameSpeed, "must lie in (0, 10]");
        Require(Actions is { Count: > 0 }, nameof(Actions), Actions?.Count, "needs at least one action");
        Require(FrameSize is >= 8 and <= 256, nameof(FrameSize), FrameSize, "must lie in [8, 256]");
        Require(FrameStack >= 1, nameof(FrameStack), FrameStack, "must be at least 1");
        Require(TimeCapSeconds > 0, nameof(TimeCapSeconds), TimeCapSeconds, "must be positive");
        Require(StagnationPixels > 0, nameof(StagnationPixels), StagnationPixels, "must be positive");
        Require(StagnationSeconds > 0, nameof(StagnationSeconds), StagnationSeconds, "must be positive");
        Require(HangSeconds >= 0 && double.IsFinite(HangSeconds), nameof(HangSeconds), HangSeconds, "must be finite and not negative");
        Require(IdlePauseSeconds >= 0, nameof(IdlePauseSeconds), IdlePauseSeconds, "must not be negative");
        Require(TeleportDropPixels > 0 && float.IsFinite(TeleportDropPixels), nameof(TeleportDropPixels), TeleportDropPixels, "must be positive and finite");
        Require(TeleportDropFraction is null or (> 0 and <= 1), nameof(TeleportDropFraction), TeleportDropFraction, "must lie in (0, 1]");
        Require(MilestoneSpacing > 0, nameof(MilestoneSpacing), MilestoneSpacing, "must be positive");
        Require(DeathZoneRadius > 0, nameof(DeathZoneRadius), DeathZoneRadius, "must be positive");
        foreach (var action in Actions!)
        {
            SuperTuxActions.Keys(action);
        }

        if (LevelFile is { } level && !File.Exists(level))
        {
            throw new ArgumentException($"SuperTux level file '{level}' does not exist.", nameof(LevelFile));
        }
    }

    private static void Require(bool holds, string name, object? value, string rule)
    {
        if (!holds)
        {
            throw new ArgumentOutOfRangeException(name, value, $"SuperTux option {name} {rule}; got {value}.");
        }
    }
}
