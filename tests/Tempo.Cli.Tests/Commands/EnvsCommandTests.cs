namespace Tempo.Cli.Tests.Commands;

public sealed class EnvsCommandTests
{
    [Fact]
    public void Envs_ListsTheClassicAndLiveEnvsWithTheirSpaces()
    {
        var run = CliRun.Of("envs");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        var lines = run.OutputLines;
        Assert.Equal(
            ["Acrobot-v1", "CartPole-v1", "Catch-v0", "CatchFeatures-v0", "LiveCartPole-v1", "LivePendulum-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1", "SuperTux-v0"],
            lines.Where(l => !l.StartsWith(' ')).Select(l => l.Split(' ')[0]));

        // Every env is followed by its observation and action space.
        Assert.Equal(30, lines.Length);
        for (var i = 0; i < lines.Length; i += 3)
        {
            Assert.Matches("^  observation  (Box|Dict)\\(", lines[i + 1]);
            Assert.StartsWith("  action       ", lines[i + 2]);
        }

        Assert.Contains("CartPole-v1 (time limit: 500)", lines);
        Assert.Equal("  action       Discrete(2)", lines[Array.IndexOf(lines, "CartPole-v1 (time limit: 500)") + 2]);
        Assert.Equal("  action       Box(-2, 2, (1,), float32)", lines[Array.IndexOf(lines, "Pendulum-v1 (time limit: 200)") + 2]);
        Assert.Equal("  observation  Box(0, 255, (1, 84, 84), uint8)", lines[Array.IndexOf(lines, "Catch-v0 (time limit: none)") + 1]);
        Assert.Equal(
            "  observation  Dict('features': Box(0, 1, (3,), float32), 'frames': Box(0, 255, (1, 84, 84), uint8))",
            lines[Array.IndexOf(lines, "CatchFeatures-v0 (time limit: none)") + 1]);
    }
}
