using Tempo.Games.Memory;
using Tempo.Games.Supervision;

namespace Tempo.Games.SuperTux;

/// <summary>
/// How SuperTux 0.6.3 runs as a training target on Linux: its launch options (SDL renderer on X11, no sound, a level
/// started directly), its configuration (no pause on focus loss, no vsync, no transitions), its pointer chains for the
/// Debian build, and its keys.
/// </summary>
public static class SuperTuxGame
{
    /// <summary>Where Debian's <c>supertux</c> package installs the game.</summary>
    public const string DebianExecutable = "/usr/games/supertux2";

    /// <summary>The key that opens and closes the pause menu (game time stops while it is open).</summary>
    public const string PauseKey = "Escape";

    /// <summary>Writes the game's configuration into <paramref name="userDirectory"/> (the game's <c>SUPERTUX2_USER_DIR</c>).</summary>
    public static void WriteConfig(string userDirectory)
    {
        Directory.CreateDirectory(userDirectory);
        using var resource = typeof(SuperTuxGame).Assembly.GetManifestResourceStream("Tempo.Games.SuperTux.config")!;
        using var file = File.Create(Path.Combine(userDirectory, "config"));
        resource.CopyTo(file);
    }

    /// <summary>The pointer chains of Debian's 0.6.3-2 build: "x" and "y" (Tux's position, float32) and "coins" (int32, 100 at the start).</summary>
    public static ChainFile DebianChains()
    {
        using var resource = typeof(SuperTuxGame).Assembly.GetManifestResourceStream("Tempo.Games.SuperTux.chains.json")!;
        using var reader = new StreamReader(resource);
        return ChainFile.Parse(reader.ReadToEnd(), "SuperTux 0.6.3 Debian chains");
    }

    /// <summary>
    /// Launch options that start <paramref name="levelPath"/> directly (no menus), with the configuration written to
    /// <paramref name="userDirectory"/>; the intro card is skipped with Return, and the level counts as shown once the
    /// (bright) sky replaces the (black) intro card.
    /// </summary>
    /// <param name="levelPath">A level file (<see cref="SuperTuxLevel.Save"/>).</param>
    /// <param name="userDirectory">The game's own folder for config and saves; created if missing.</param>
    /// <param name="chains">The pointer chains to validate and read, or null for none.</param>
    /// <param name="executable">The game's executable.</param>
    /// <param name="width">The window's (and the virtual screen's) width in pixels.</param>
    /// <param name="height">The window's (and the virtual screen's) height in pixels.</param>
    public static GameLaunchOptions LaunchOptions(string levelPath, string userDirectory, ChainFile? chains, string executable = DebianExecutable, int width = 640, int height = 480)
    {
        WriteConfig(userDirectory);
        return new GameLaunchOptions
        {
            Executable = executable,
            Arguments = ["--renderer", "sdl", "-w", "-g", FormattableString.Invariant($"{width}x{height}"), "--disable-sound", "--disable-music", levelPath],

            // Without SDL_VIDEODRIVER=x11 the game runs but never connects to the X server.
            Environment = new Dictionary<string, string> { ["SDL_VIDEODRIVER"] = "x11", ["SUPERTUX2_USER_DIR"] = userDirectory },
            SkipKeys = ["Return"],
            IsPlayable = game => game.MeanGray() > 80,
            Chains = chains,
            ScreenWidth = width,
            ScreenHeight = height,
        };
    }
}
