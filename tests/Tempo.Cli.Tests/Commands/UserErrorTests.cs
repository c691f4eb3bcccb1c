namespace Tempo.Cli.Tests.Commands;

/// <summary>Every user error ends in one line on standard error and a non-zero exit, never a stack trace; a run folder that holds a run is never overwritten.</summary>
public sealed class UserErrorTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>Asserts a failed run: exit code 2, nothing trained, and exactly one "error: " line that contains <paramref name="expected"/>.</summary>
    private static void AssertOneLineError(CliRun run, string expected)
    {
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("Exception", line);
        Assert.DoesNotContain("trained", run.Output);
    }

    private static string[] Tiny(string runDir) => ["train", "--total-timesteps", "256", "--num-envs", "2", "--num-steps", "128", "--run-dir", runDir, "--plain"];

    [Fact]
    public void Train_IntoAFolderHoldingARun_RefusesSayingResumeForceOrNewFolderAndKeepsTheRun()
    {
        var runDir = _directory.File("run");
        Assert.Equal(0, CliRun.Of(Tiny(runDir)).ExitCode);
        var metrics = File.ReadAllText(Path.Combine(runDir, "metrics.csv"));
        var checkpoint = File.ReadAllBytes(Path.Combine(runDir, "checkpoint.tempo"));

        var run = CliRun.Of(Tiny(runDir));

        AssertOneLineError(run, $"run folder {runDir} already holds a run; continue it with --resume {runDir}, overwrite it with --force, or choose a new folder with --run-dir.");
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(runDir, "metrics.csv")));
        Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(runDir, "checkpoint.tempo")));
        Assert.Single(Directory.GetFiles(runDir, "events.out.tfevents.*"));
    }

    [Fact]
    public void Train_Force_ReplacesTheRun()
    {
        var runDir = _directory.File("run");
        Assert.Equal(0, CliRun.Of(Tiny(runDir)).ExitCode);

        var run = CliRun.Of(["train", "--total-timesteps", "512", "--num-envs", "2", "--num-steps", "128", "--run-dir", runDir, "--plain", "--force"]);

        Assert.Equal(0, run.ExitCode);
        var steps = File.ReadAllLines(Path.Combine(runDir, "metrics.csv"))[1..].Select(l => l.Split(',')[0]);
        Assert.Equal(["256", "512"], steps);
    }

    [Fact]
    public void Train_ForceOnAFolderThatDoesNotExistYet_Trains()
    {
        var runDir = Path.Combine(_directory.File("new"), "nested");

        var run = CliRun.Of(["train", "--total-timesteps", "256", "--num-envs", "2", "--num-steps", "128", "--run-dir", runDir, "--plain", "--force"]);

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(runDir, "metrics.csv")), run.Error);
    }

    [Fact]
    public void Train_RunDirIsAnExistingFile_OneLine()
    {
        var file = _directory.File("taken.txt");
        File.WriteAllText(file, "keep me");

        AssertOneLineError(CliRun.Of(Tiny(file)), $"run folder {file} is a file");
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [SkippableFact]
    public void Train_RunDirCannotBeWritten_OneLine()
    {
        // /proc refuses new entries even to root, who may write anywhere a permission bit would forbid.
        Skip.IfNot(OperatingSystem.IsLinux(), "uses /proc as a folder nobody can write.");

        AssertOneLineError(CliRun.Of(Tiny("/proc/tempo-cannot-write/run")), "cannot write run folder /proc/tempo-cannot-write/run");
    }

    [Fact]
    public void Eval_VideoIntoAMissingFolder_OneLineBeforePlaying()
    {
        var runDir = _directory.File("run");
        Assert.Equal(0, CliRun.Of(Tiny(runDir)).ExitCode);
        var missing = _directory.File("no-such-folder");

        var run = CliRun.Of("eval", "--checkpoint", runDir, "--episodes", "1", "--video", Path.Combine(missing, "x.gif"));

        AssertOneLineError(run, $"the folder {missing} does not exist");
        Assert.DoesNotContain("episode 1", run.Output);
    }

    [Fact]
    public void Train_ConfigIsAFolder_SaysSo()
    {
        AssertOneLineError(CliRun.Of("train", "--config", _directory.Path, "--run-dir", _directory.File("run")), $"config {_directory.Path} is a folder; give a JSON file.");
    }

    [Theory]
    [InlineData("{\"total-timesteps\":\"lots\"}", "line 1, column 2: 'total-timesteps' must be a whole number; got \"lots\".")]
    [InlineData("{\n  \"seed\": 1,\n  \"learning-rate\": \"fast\"\n}\n", "line 3, column 3: 'learning-rate' must be a number; got \"fast\".")]
    [InlineData("{\n\t\"env-options\": {\"gravity\": \"high\"}\n}", "line 2, column 2: env-options.gravity does not fit the options of CartPole-v1")]
    public void Train_ConfigValueOfTheWrongType_NamesKeyFileLineAndColumnInJsonWords(string json, string expected)
    {
        var config = _directory.File("bad.json");
        File.WriteAllText(config, json);

        var run = CliRun.Of("train", "--config", config, "--run-dir", _directory.File("run"));

        AssertOneLineError(run, $"error: Config file {config}, {expected}");
        Assert.DoesNotContain("Tempo.", run.Error);
        Assert.DoesNotContain("System.", run.Error);
        Assert.False(Directory.Exists(_directory.File("run")));
    }
}
