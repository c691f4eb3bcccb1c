using System.Globalization;
using System.Text.RegularExpressions;

namespace Tempo.Cli.Tests.Commands;

public sealed partial class RunCommandTests
{
    private static readonly string[] _knownIds = ["Acrobot-v1", "CartPole-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1"];

    [Fact]
    public void Run_CartPole_PrintsEachEpisodeAndTheMean()
    {
        var run = CliRun.Of("run", "--env", "CartPole-v1", "--episodes", "3", "--seed", "4");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        var lines = run.OutputLines;
        Assert.Equal(4, lines.Length);
        var returns = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var match = EpisodeLine().Match(lines[i]);
            Assert.True(match.Success, lines[i]);
            Assert.Equal(i + 1, int.Parse(match.Groups["episode"].Value, CultureInfo.InvariantCulture));

            // CartPole pays 1 per step.
            var episodeReturn = double.Parse(match.Groups["return"].Value, CultureInfo.InvariantCulture);
            Assert.Equal(int.Parse(match.Groups["length"].Value, CultureInfo.InvariantCulture), episodeReturn);
            returns.Add(episodeReturn);
        }

        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"mean return over 3 episodes: {returns.Average():F2}"), lines[3]);
    }

    [Fact]
    public void Run_SameSeed_PrintsTheSameEpisodes()
    {
        var first = CliRun.Of("run", "--env", "Acrobot-v1", "--episodes", "2", "--seed", "9");
        var second = CliRun.Of("run", "--env", "Acrobot-v1", "--episodes", "2", "--seed", "9");

        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public void Run_ContinuousEnv_PlaysToTheTimeLimit()
    {
        var run = CliRun.Of("run", "--env", "Pendulum-v1", "--episodes", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith(", length 200 (truncated)", run.OutputLines[0]);
    }

    [Fact]
    public void Run_UnknownId_FailsListingTheKnownIds()
    {
        var run = CliRun.Of("run", "--env", "Nope-v0");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Nope-v0", run.Error);
        Assert.All(_knownIds, id => Assert.Contains(id, run.Error));
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("0", "--episodes must be positive; got 0.")]
    [InlineData("-3", "--episodes must be positive; got -3.")]
    [InlineData("x", "'x'")]
    public void Run_BadEpisodes_FailsNamingTheValue(string episodes, string message)
    {
        var run = CliRun.Of("run", "--env", "CartPole-v1", "--episodes", episodes);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.Contains("--episodes", run.Error);
    }

    [Fact]
    public void Run_NoEnv_Fails()
    {
        var run = CliRun.Of("run");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--env ID, or --config FILE", run.Error);
    }

    [Fact]
    public void Run_EnvFromARunConfig_PlaysThatEnvWithItsOptions()
    {
        // The config file training reads: its env and env options (here LiveCartPole's tick rate) decide what is played.
        var config = Path.Combine(Path.GetTempPath(), $"tempo-run-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, """{ "env": "LiveCartPole-v1", "algo": "appo", "tick-rate": 200 }""");
        try
        {
            var run = CliRun.Of("run", "--config", config, "--episodes", "2", "--seed", "4");

            Assert.Equal(0, run.ExitCode);
            Assert.Empty(run.Error);
            Assert.Equal(3, run.OutputLines.Length);
            Assert.Matches(EpisodeLine(), run.OutputLines[0]);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void UnknownCommand_Fails()
    {
        var run = CliRun.Of("fly");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("fly", run.Error);
    }

    [GeneratedRegex(@"^episode (?<episode>\d+): return (?<return>-?\d+\.\d\d), length (?<length>\d+) \((terminated|truncated)\)$")]
    private static partial Regex EpisodeLine();
}
