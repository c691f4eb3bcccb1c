using Tempo.Games.SuperTux;
using Tempo.Games.Supervision;
using Tempo.Tests.Shared;

namespace Tempo.Games.Tests.SuperTux;

/// <summary>One Xvfb and one SuperTux on a generated flat level, shared by a test class; stopped by pid on dispose.</summary>
public sealed class SuperTuxFixture : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("tempo-supertux-").FullName;
    private GameInstance? _game;
    private string? _missing;

    public GameInstance Game => _game ?? throw new InvalidOperationException("the game did not start");

    public string Folder => _directory;

    public SuperTuxLevel Level { get; } = new() { WidthTiles = 40 };

    /// <summary>Skips (outside CI) or fails (in CI) when Xvfb or SuperTux is missing; launches the game once.</summary>
    public GameInstance Require()
    {
        ExternalTool.Require("Xvfb", "xvfb");
        ExternalTool.Require(SuperTuxGame.DebianExecutable, "supertux");
        if (_missing is not null)
        {
            throw new InvalidOperationException(_missing);
        }

        if (_game is null)
        {
            try
            {
                _game = GameInstance.Launch(Options(Level, "flat"));
            }
            catch (Exception e)
            {
                _missing = "SuperTux did not start: " + e.Message;
                throw;
            }
        }

        return _game;
    }

    public GameLaunchOptions Options(SuperTuxLevel level, string name)
    {
        var path = Path.Combine(_directory, name + ".stl");
        level.Save(path);
        var chains = SuperTuxGame.DebianChains();
        chains = chains with { Chains = [.. chains.Chains.Select(c => c.Name == "x" ? c with { Expect = SuperTuxLevel.SpawnX, Tolerance = 1 } : c)] };
        return SuperTuxGame.LaunchOptions(path, Path.Combine(_directory, "user-" + name), chains);
    }

    public void Dispose()
    {
        _game?.Dispose();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
