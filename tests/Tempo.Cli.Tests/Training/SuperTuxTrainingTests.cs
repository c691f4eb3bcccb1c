using System.Globalization;
using Tempo.Cli.Tests.Commands;
using Tempo.Games.SuperTux;
using Tempo.Runtime.Checkpoints;
using Tempo.Tests.Shared;

namespace Tempo.Cli.Tests.Training;

/// <summary>
/// CI smoke of training on the real game (<c>tempo train --env SuperTux-v0</c> under Xvfb started by Tempo; async with
/// two games, one per actor, sync with one game and the game's pause): a few hundred steps and at least one update, episodes end, no game crashes or hangs. Learning is not asserted
/// here (benchmarks/supertux); the env's own tests check frames, the finish and the relaunch after it.
/// </summary>
/// <remarks>
/// Fast by construction, not by checking less: a 16-tile level (the finish at x = 256, 160 px from the spawn, before
/// any pit), game speed 3, one tick per step, and a CNN with a 16-wide fully connected layer. Each reset relaunches the
/// game (about 1.5 s).
/// <para>
/// Episodes must end inside the budget on any machine. The env's clock runs at the game's speed: 60 ticks a second of
/// game time is 180 steps a second of wall time per game, so on a fast machine the 128 steps a game gets (256 over two
/// games) last only 0.7 s of wall time, less than any stagnation window worth the name. The time cap (counted from the
/// first action, in wall time) is therefore 0.25 s: at full speed every game reaches it at least twice, and a slower
/// machine only stretches the wall time each step takes, which reaches it sooner.
/// </para> One game per actor, as README advises for live games: an actor stepping two
/// games stalls one for every relaunch of the other, and with a stagnation cap shorter than a relaunch (1 s here, a
/// relaunch takes seconds on a loaded machine) their episodes end back to back.
/// </remarks>
public sealed class SuperTuxTrainingTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [SkippableFact]
    public void Train_AsyncAppo_OnTwoGames_UpdatesAndEndsEpisodes() => Smoke("appo", "async", "--num-actors", "2");

    [SkippableFact]
    public void Train_SyncPpoWithPause_OnOneGame_UpdatesAndEndsEpisodes() => Smoke("ppo", "sync", "--pause");

    private void Smoke(string algo, string schedule, params string[] extra)
    {
        ExternalTool.Require("Xvfb", "xvfb");
        ExternalTool.Require(SuperTuxGame.DebianExecutable, "supertux");
        var config = _directory.File("config.json");
        File.WriteAllText(
            config,
            """{ "env": "SuperTux-v0", "env-options": { "level-width-tiles": 16, "game-speed": 3, "frame-skip": 1, "stagnation-seconds": 1, "time-cap-seconds": 0.25 } }""");
        var runDir = _directory.File(algo);

        var run = CliRun.Of(
        [
            "train", "--config", config, "--algo", algo, "--schedule", schedule, "--total-timesteps", "256", "--num-envs", "1",
            "--num-steps", "32", "--num-minibatches", "1", "--update-epochs", "1", "--hidden-sizes", "16", "--run-dir", runDir, "--plain", "--seed", "1", .. extra,
        ]);

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        var checkpoint = CheckpointFile.ReadMetadata(Path.Combine(runDir, "checkpoint.tempo"));
        Assert.True(checkpoint.Updates >= 1, $"{checkpoint.Updates} updates");
        Assert.InRange(checkpoint.GlobalStep, 256, 256 + (2 * 32));
        Assert.True(checkpoint.Episodes >= 1, $"no episode ended in {checkpoint.GlobalStep.ToString(CultureInfo.InvariantCulture)} steps");

        // The last report: both games ran without crashing or hanging, and episodes report how far Tux got.
        var lines = File.ReadAllLines(Path.Combine(runDir, "metrics.csv"));
        var header = lines[0].Split(',');
        var last = lines[^1].Split(',');
        string Cell(string name) => last[Array.IndexOf(header, name)];
        Assert.True(Cell("game_crashes") == "0" && Cell("game_hangs") == "0", $"crashes/hangs {Cell("game_crashes")}/{Cell("game_hangs")}:\n{run.Output}");
        Assert.InRange(double.Parse(Cell("episodic_x_reached_mean"), CultureInfo.InvariantCulture), SuperTuxLevel.SpawnX, 10_000);
    }
}
