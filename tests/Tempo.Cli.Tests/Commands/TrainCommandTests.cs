using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tempo.Runtime.Checkpoints;

namespace Tempo.Cli.Tests.Commands;

public sealed partial class TrainCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Train_TinyBudget_WritesMetricsEventsAndConfig()
    {
        var runDir = _directory.File("run");

        var run = CliRun.Of("train", "--env", "CartPole-v1", "--total-timesteps", "512", "--num-envs", "2", "--num-steps", "64", "--seed", "3", "--run-dir", runDir, "--plain");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Contains($"trained 512 steps in ", run.Output);

        // metrics.csv: the measurement contract's columns first, then one row per update (4 rollouts of 2 × 64 steps).
        var lines = File.ReadAllLines(Path.Combine(runDir, "metrics.csv"));
        var header = lines[0].Split(',');
        Assert.Equal(
            ["global_step", "wall_time_s", "episodes", "episodic_return_mean", "sps", "action_gap_p50_ms", "action_gap_p99_ms", "action_gap_max_ms", "policy_lag_mean"],
            header[..9]);
        Assert.Contains("policy_version", header);
        var rows = lines[1..].Select(l => l.Split(',')).ToArray();
        Assert.Equal(["128", "256", "384", "512"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        Assert.Equal(["1", "2", "3", "4"], rows.Select(r => r[Array.IndexOf(header, "policy_version")]));
        Assert.True(double.Parse(rows[^1][Array.IndexOf(header, "sps")], CultureInfo.InvariantCulture) > 0);
        Assert.True(long.Parse(rows[^1][Array.IndexOf(header, "episodes")], CultureInfo.InvariantCulture) > 0);

        var events = Assert.Single(Directory.GetFiles(runDir, "events.out.tfevents.*"));
        Assert.True(new FileInfo(events).Length > 0);

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")));
        Assert.Equal("CartPole-v1", config.RootElement.GetProperty("env").GetString());
        Assert.Equal(3, config.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(512, config.RootElement.GetProperty("total-timesteps").GetInt64());
        Assert.Equal(2, config.RootElement.GetProperty("num-envs").GetInt32());
        Assert.Equal(64, config.RootElement.GetProperty("num-steps").GetInt32());
    }

    [Fact]
    public void Train_NoFlags_KeepsCleanRlDefaults()
    {
        var runDir = _directory.File("run");

        var run = CliRun.Of("train", "--total-timesteps", "512", "--run-dir", runDir, "--plain");

        Assert.Equal(0, run.ExitCode);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")));
        var root = config.RootElement;

        // Flags that were not given must not override anything, booleans included.
        Assert.Equal("CartPole-v1", root.GetProperty("env").GetString());
        Assert.True(root.GetProperty("anneal-lr").GetBoolean());
        Assert.True(root.GetProperty("norm-adv").GetBoolean());
        Assert.True(root.GetProperty("clip-vloss").GetBoolean());
        Assert.False(root.GetProperty("anneal-clip-coef").GetBoolean());
        Assert.True(root.GetProperty("pause").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("target-return").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("target-kl").ValueKind);
        Assert.Equal(4, root.GetProperty("num-envs").GetInt32());
        Assert.Equal(128, root.GetProperty("num-steps").GetInt32());
        Assert.Equal(2.5e-4, root.GetProperty("learning-rate").GetDouble());
    }

    [Fact]
    public void Train_BooleanFlags_ApplyWhenGiven()
    {
        var runDir = _directory.File("run");

        var run = CliRun.Of("train", "--total-timesteps", "512", "--anneal-lr", "false", "--pause", "false", "--anneal-clip-coef", "true", "--run-dir", runDir, "--plain");

        Assert.Equal(0, run.ExitCode);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")));
        Assert.False(config.RootElement.GetProperty("anneal-lr").GetBoolean());
        Assert.False(config.RootElement.GetProperty("pause").GetBoolean());
        Assert.True(config.RootElement.GetProperty("anneal-clip-coef").GetBoolean());
        Assert.True(config.RootElement.GetProperty("norm-adv").GetBoolean());
    }

    [Fact]
    public void Train_TargetReached_PrintsExactlyOneSolvedLineAndStops()
    {
        // A random CartPole policy lasts about 22 steps, so a target of 15 is reached by the first 20 episodes.
        var run = CliRun.Of("train", "--env", "CartPole-v1", "--target-return", "15", "--total-timesteps", "100000", "--run-dir", _directory.File("run"), "--plain");

        Assert.Equal(0, run.ExitCode);
        var solved = Assert.Single(run.OutputLines, l => l.StartsWith("solved: ", StringComparison.Ordinal));
        var match = SolvedLine().Match(solved);
        Assert.True(match.Success, solved);

        // The result is one last line: the step the target was reached at, the mean then, and the step training stopped at.
        var outcome = OutcomeLine().Match(run.OutputLines[^1]);
        Assert.True(outcome.Success, run.Output);
        var solvedStep = long.Parse(match.Groups["step"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(solvedStep, long.Parse(outcome.Groups["solved"].Value, CultureInfo.InvariantCulture));
        Assert.True(double.Parse(outcome.Groups["mean"].Value, CultureInfo.InvariantCulture) >= 15);
        var trainedSteps = long.Parse(outcome.Groups["stopped"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(solvedStep, 20, trainedSteps);
        Assert.True(trainedSteps < 100_000, "training should stop once solved");
    }

    [Fact]
    public void Train_TargetNotReached_EndsSayingNotSolvedWithTheMean()
    {
        var run = CliRun.Of("train", "--env", "CartPole-v1", "--target-return", "1000", "--total-timesteps", "512", "--run-dir", _directory.File("run"), "--plain");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain(run.OutputLines, l => l.StartsWith("solved", StringComparison.Ordinal));
        Assert.Matches(NotSolvedLine(), run.OutputLines[^1]);
    }

    [Fact]
    public void Train_NoTarget_PrintsNoSolvedLine()
    {
        var run = CliRun.Of("train", "--total-timesteps", "512", "--run-dir", _directory.File("run"), "--plain");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain(run.OutputLines, l => l.StartsWith("solved", StringComparison.Ordinal));
    }

    [Fact]
    public void Train_ContinuousEnv_Trains()
    {
        var runDir = _directory.File("run");

        var run = CliRun.Of("train", "--env", "Pendulum-v1", "--total-timesteps", "256", "--num-envs", "1", "--num-steps", "128", "--run-dir", runDir, "--plain");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(runDir, "metrics.csv")).Length);
    }

    [Fact]
    public void Train_ContinuousEnvWithoutPpoFlags_UsesPpoContinuousActionsDefaults()
    {
        var runDir = _directory.File("run");

        var run = CliRun.Of("train", "--env", "Pendulum-v1", "--total-timesteps", "64", "--num-steps", "64", "--run-dir", runDir, "--plain");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")));
        var root = config.RootElement;
        Assert.Equal(3e-4, root.GetProperty("learning-rate").GetDouble());
        Assert.Equal(1, root.GetProperty("num-envs").GetInt32());
        Assert.Equal(32, root.GetProperty("num-minibatches").GetInt32());
        Assert.Equal(10, root.GetProperty("update-epochs").GetInt32());
        Assert.Equal(0.0, root.GetProperty("ent-coef").GetDouble());
        Assert.Equal(0.2, root.GetProperty("clip-coef").GetDouble());
        Assert.True(root.GetProperty("clip-vloss").GetBoolean());

        // The user's flags still win over the recipe's defaults (2048 steps, 1M steps).
        Assert.Equal(64, root.GetProperty("num-steps").GetInt32());
        Assert.Equal(64, root.GetProperty("total-timesteps").GetInt64());
    }

    [Fact]
    public void Train_AsyncOnASimulator_ActorsWaitForTheLearnerAndNothingIsDropped()
    {
        // A one-segment queue and four actors outpacing one learner: a live env would drop, a simulator waits.
        var runDir = _directory.File("run");

        var run = CliRun.Of(
            "train", "--env", "CartPole-v1", "--algo", "appo", "--schedule", "async", "--num-actors", "4", "--num-envs", "2", "--num-steps", "16",
            "--num-minibatches", "1", "--queue-capacity", "1", "--max-policy-lag", "1000", "--total-timesteps", "4096", "--run-dir", runDir, "--plain");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        var lines = File.ReadAllLines(Path.Combine(runDir, "metrics.csv"));
        var header = lines[0].Split(',');
        var last = lines[^1].Split(',');
        Assert.Equal("0", last[Array.IndexOf(header, "segments_dropped_queue_full")]);
        Assert.Equal("0", last[Array.IndexOf(header, "segments_dropped_stale")]);
    }

    [Fact]
    public void Train_AsyncSegmentsPerUpdate_BatchesSeveralSegmentsIntoOneUpdate()
    {
        // One env per actor makes each segment one trajectory; three minibatches of whole trajectories need three
        // segments per update. The learner refuses a batch of any other shape, so a finished run with updates proves
        // every update held exactly three segments.
        var runDir = _directory.File("run");
        var refused = CliRun.Of(
            "train", "--env", "CartPole-v1", "--algo", "appo", "--schedule", "async", "--num-actors", "2", "--num-envs", "1", "--num-steps", "16",
            "--num-minibatches", "3", "--total-timesteps", "960", "--run-dir", _directory.File("refused"), "--plain");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("num-minibatches", refused.Error, StringComparison.Ordinal);

        var run = CliRun.Of(
            "train", "--env", "CartPole-v1", "--algo", "appo", "--schedule", "async", "--num-actors", "2", "--num-envs", "1", "--num-steps", "16",
            "--segments-per-update", "3", "--num-minibatches", "3", "--total-timesteps", "960", "--run-dir", runDir, "--plain");

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        var checkpoint = CheckpointFile.ReadMetadata(Path.Combine(runDir, "checkpoint.tempo"));
        Assert.InRange(checkpoint.Updates, 1, checkpoint.GlobalStep / (3 * 16));
    }

    [Fact]
    public void Train_ConfigFile_AppliesKeysAndFlagsOverrideThem()
    {
        var configPath = _directory.File("config.json");
        File.WriteAllText(configPath, """
            {
              "env": "Acrobot-v1",
              "seed": 5,
              "num-envs": 2,
              "num-steps": 32,
              "total-timesteps": 256,
              "learning-rate": 0.001,
              "norm-adv": false,
              "hidden-sizes": [16]
            }
            """);
        var runDir = _directory.File("run");

        var run = CliRun.Of("train", "--config", configPath, "--num-steps", "16", "--seed", "8", "--run-dir", runDir, "--plain");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")));
        var root = written.RootElement;
        Assert.Equal("Acrobot-v1", root.GetProperty("env").GetString());
        Assert.Equal(2, root.GetProperty("num-envs").GetInt32());
        Assert.Equal(0.001, root.GetProperty("learning-rate").GetDouble());
        Assert.False(root.GetProperty("norm-adv").GetBoolean());
        Assert.Equal([16], root.GetProperty("hidden-sizes").EnumerateArray().Select(e => e.GetInt32()));

        // Flags win over the file.
        Assert.Equal(16, root.GetProperty("num-steps").GetInt32());
        Assert.Equal(8, root.GetProperty("seed").GetInt32());
        Assert.Contains("trained 256 steps", run.Output);
    }

    [Fact]
    public void Train_ConfigFileBoolean_IsNotOverriddenByAnAbsentFlag()
    {
        var configPath = _directory.File("config.json");
        File.WriteAllText(configPath, """{ "total-timesteps": 512, "anneal-lr": false, "pause": false }""");
        var runDir = _directory.File("run");

        var run = CliRun.Of("train", "--config", configPath, "--clip-vloss", "false", "--run-dir", runDir, "--plain");

        Assert.Equal(0, run.ExitCode);
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")));
        Assert.False(written.RootElement.GetProperty("anneal-lr").GetBoolean());
        Assert.False(written.RootElement.GetProperty("pause").GetBoolean());
        Assert.False(written.RootElement.GetProperty("clip-vloss").GetBoolean());
        Assert.True(written.RootElement.GetProperty("norm-adv").GetBoolean());
    }

    [Fact]
    public void Train_ConfigFileWithUnknownKey_FailsNamingIt()
    {
        var configPath = _directory.File("config.json");
        File.WriteAllText(configPath, """{ "num-env": 2 }""");

        var run = CliRun.Of("train", "--config", configPath, "--run-dir", _directory.File("run"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("unknown key 'num-env'", run.Error);
        Assert.Contains("num-envs", run.Error);
        Assert.False(Directory.Exists(_directory.File("run")));
    }

    [Theory]
    [InlineData("""{ "seed": "one" }""", "seed")]
    [InlineData("""{ "pause": 3 }""", "pause")]
    [InlineData("""{ "num-envs": "four" }""", "num-envs")]
    [InlineData("""{ "learning-rate": true }""", "learning-rate")]
    public void Train_ConfigFileWithWrongType_FailsNamingTheKey(string json, string key)
    {
        var configPath = _directory.File("config.json");
        File.WriteAllText(configPath, json);

        var run = CliRun.Of("train", "--config", configPath, "--run-dir", _directory.File("run"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(key, run.Error);
        Assert.StartsWith("error: Config file ", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public void Train_ConfigFileNotJson_Fails()
    {
        var configPath = _directory.File("config.json");
        File.WriteAllText(configPath, "num-envs = 2");

        var run = CliRun.Of("train", "--config", configPath, "--run-dir", _directory.File("run"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("not valid JSON", run.Error);
    }

    [Fact]
    public void Train_MissingConfigFile_Fails()
    {
        var run = CliRun.Of("train", "--config", _directory.File("absent.json"), "--run-dir", _directory.File("run"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("absent.json", run.Error);
        Assert.Contains("does not exist", run.Error);
    }

    [Theory]
    [InlineData("--num-envs", "0", "num-envs (--num-envs) must be positive; got 0.")]
    [InlineData("--num-minibatches", "3", "num-minibatches (--num-minibatches) must divide the batch size 512 (env trajectories × steps); got 3.")]
    [InlineData("--gamma", "1.5", "gamma (--gamma) must lie in [0, 1]; got 1.5.")]
    [InlineData("--gae-lambda", "-0.5", "gae-lambda (--gae-lambda) must lie in [0, 1]; got -0.5.")]
    [InlineData("--checkpoint-every", "0", "checkpoint-every (--checkpoint-every) must be a positive number of updates; got 0.")]
    [InlineData("--num-envs", "x", "'x'")]
    public void Train_BadFlag_FailsNamingIt(string flag, string value, string named)
    {
        var run = CliRun.Of("train", flag, value, "--total-timesteps", "512", "--run-dir", _directory.File("run"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(named, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("appo", "--rho-bar", "0", "rho-bar (--rho-bar) must be positive; got 0.")]
    [InlineData("dqn", "--batch-size", "0", "batch-size (--batch-size) must be a positive number; got 0.")]
    public void Train_BadAlgorithmFlag_FailsNamingTheFlagNotTheProperty(string algorithm, string flag, string value, string named)
    {
        var run = CliRun.Of("train", "--algo", algorithm, flag, value, "--total-timesteps", "512", "--run-dir", _directory.File("run"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(named, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public void Train_ConfigValueOutOfRange_FailsNamingTheConfigKey()
    {
        var config = _directory.File("bad.json");
        File.WriteAllText(config, """{"num-minibatches": 0}""");

        var run = CliRun.Of("train", "--config", config, "--total-timesteps", "512", "--run-dir", _directory.File("run"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("num-minibatches (--num-minibatches) must be positive; got 0.", run.Error);
    }

    [Fact]
    public void Train_UnknownEnv_FailsListingTheKnownIds()
    {
        var run = CliRun.Of("train", "--env", "Nope-v0", "--run-dir", _directory.File("run"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Nope-v0", run.Error);
        Assert.Contains("CartPole-v1", run.Error);
    }

    [Fact]
    public void Train_TickRateForASimulator_FailsNamingTheEnv()
    {
        var run = CliRun.Of("train", "--env", "CartPole-v1", "--tick-rate", "100", "--total-timesteps", "512", "--run-dir", _directory.File("run"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("tick-rate applies to live envs", run.Error);
        Assert.Contains("CartPole-v1", run.Error);
    }

    [Fact]
    public void Train_TickRateForALiveEnv_IsRecordedInTheConfig()
    {
        var runDir = _directory.File("live");
        var run = CliRun.Of(
            "train", "--env", "LiveCartPole-v1", "--tick-rate", "250", "--num-envs", "1", "--num-steps", "16", "--num-minibatches", "1",
            "--update-epochs", "1", "--total-timesteps", "16", "--run-dir", runDir);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"tick-rate-hertz\": 250", File.ReadAllText(Path.Combine(runDir, "config.json")));
    }

    [GeneratedRegex(@"^solved: step=(?<step>\d+) wall_s=\d+\.\d\d$")]
    private static partial Regex SolvedLine();

    [GeneratedRegex(@"^solved at step (?<solved>\d+) \(last-20 mean (?<mean>[\d.]+) >= 15\); stopped at step (?<stopped>\d+): (?<steps>\d+) steps in ")]
    private static partial Regex OutcomeLine();

    [GeneratedRegex(@"^not solved \(last-20 mean [\d.]+ < 1000\): 512 steps in ")]
    private static partial Regex NotSolvedLine();
}
