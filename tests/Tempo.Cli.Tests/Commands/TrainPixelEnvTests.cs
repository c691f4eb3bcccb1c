using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Tempo.Cli.Tests.Commands;

/// <summary><c>tempo train</c> on a byte-frame env: the CNN recipe with ppo_atari.py's defaults, checkpoints, resume and eval.</summary>
public sealed class TrainPixelEnvTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Train_CatchWithoutPpoFlags_UsesPpoAtarisDefaults()
    {
        var runDir = _directory.File("run");

        var run = CliRun.Of("train", "--env", "Catch-v0", "--total-timesteps", "128", "--num-steps", "16", "--run-dir", runDir, "--plain");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Contains("trained 128 steps", run.Output);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")));
        var root = config.RootElement;
        Assert.Equal(8, root.GetProperty("num-envs").GetInt32());
        Assert.Equal(0.1, root.GetProperty("clip-coef").GetDouble());
        Assert.Equal([512], root.GetProperty("hidden-sizes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(2.5e-4, root.GetProperty("learning-rate").GetDouble());
        Assert.True(root.GetProperty("anneal-lr").GetBoolean());
        Assert.Equal(0.99, root.GetProperty("gamma").GetDouble());
        Assert.Equal(0.95, root.GetProperty("gae-lambda").GetDouble());
        Assert.Equal(4, root.GetProperty("num-minibatches").GetInt32());
        Assert.Equal(4, root.GetProperty("update-epochs").GetInt32());
        Assert.Equal(0.01, root.GetProperty("ent-coef").GetDouble());
        Assert.Equal(0.5, root.GetProperty("vf-coef").GetDouble());
        Assert.Equal(0.5, root.GetProperty("max-grad-norm").GetDouble());
        Assert.True(root.GetProperty("clip-vloss").GetBoolean());
        Assert.True(root.GetProperty("norm-adv").GetBoolean());

        // The user's flag still wins over the recipe's default.
        Assert.Equal(16, root.GetProperty("num-steps").GetInt32());
    }

    [Theory]
    [InlineData("sync", "ppo")]
    [InlineData("async", "appo")]
    public void TrainThenEval_DictObservations_TrainTheMultiInputModelAndEvaluateIt(string schedule, string algo)
    {
        // CatchFeatures-v0 observes {features, frames}: the run picks the multi-input model and records it.
        var runDir = _directory.File("dict");

        var train = CliRun.Of(
            "train", "--env", "CatchFeatures-v0", "--schedule", schedule, "--algo", algo, "--num-envs", "2", "--num-steps", "16",
            "--num-minibatches", "1", "--update-epochs", "1", "--hidden-sizes", "32", "--total-timesteps", "96", "--run-dir", runDir, "--plain");
        var eval = CliRun.Of("eval", "--checkpoint", runDir, "--episodes", "1");

        Assert.Equal(0, train.ExitCode);
        Assert.Empty(train.Error);
        Assert.Equal(0, eval.ExitCode);
        var model = Runtime.Checkpoints.CheckpointFile.ReadMetadata(Path.Combine(runDir, Runtime.Checkpoints.CheckpointFile.FileName)).Model!;
        Assert.Equal(Runtime.Runs.Recipes.ModelKind.CategoricalMultiInput, model.Kind);
        Assert.StartsWith("Dict('features': ", model.Observation);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    public void TrainThenEval_DqnOnDictObservations_TrainsTheMultiInputQNetworkAndEvaluatesIt(string schedule)
    {
        // Past learning-starts the learner takes gradient steps through both encoders; the checkpoint names the model.
        var runDir = _directory.File("dqn-dict");

        var train = CliRun.Of(
            "train", "--env", "CatchFeatures-v0", "--schedule", schedule, "--algo", "dqn", "--hidden-sizes", "32", "--total-timesteps", "160",
            "--learning-starts", "64", "--batch-size", "8", "--buffer-size", "200", "--run-dir", runDir, "--plain");
        var eval = CliRun.Of("eval", "--checkpoint", runDir, "--episodes", "1");

        Assert.Equal(0, train.ExitCode);
        Assert.Empty(train.Error);
        Assert.Equal(0, eval.ExitCode);
        var model = Runtime.Checkpoints.CheckpointFile.ReadMetadata(Path.Combine(runDir, Runtime.Checkpoints.CheckpointFile.FileName)).Model!;
        Assert.Equal(Runtime.Runs.Recipes.ModelKind.QMultiInput, model.Kind);
        Assert.StartsWith("Dict('features': ", model.Observation);
        var rows = File.ReadAllLines(Path.Combine(runDir, "metrics.csv"));
        Assert.True(rows.Length >= 2, $"metrics.csv holds {rows.Length} lines");
        var header = rows[0].Split(',');
        var last = rows[^1].Split(',');
        // A row carries the statistics of its interval's last update, and an update takes a gradient step only when
        // one is due (every train-frequency env steps), so the last row's td_loss is NaN whenever the run's last update
        // took none: on the async schedule, beside two CPU hogs, it did. The replay ratio counts every gradient step of
        // the run so far: above 0 in the last row, some were taken; every td_loss a row shows is a real loss.
        var ratio = double.Parse(last[Array.IndexOf(header, "replay_ratio")], CultureInfo.InvariantCulture);
        Assert.True(ratio > 0, $"replay_ratio {ratio}: no gradient step was taken");
        var losses = rows.Skip(1).Select(row => double.Parse(row.Split(',')[Array.IndexOf(header, "td_loss")], CultureInfo.InvariantCulture)).Where(double.IsFinite).ToArray();
        Assert.All(losses, loss => Assert.True(loss > 0, $"td_loss {loss}"));

        // The report a replay run holds back between intervals is written at the end: the last row is the last step.
        Assert.True(long.Parse(last[Array.IndexOf(header, "global_step")], CultureInfo.InvariantCulture) >= 160, string.Join(',', last));
    }

    [Theory]
    [InlineData("Catch-v0")]
    [InlineData("CatchFeatures-v0")]
    public void Train_DuelingDqnOnFramesOrADict_FailsNamingTheOption(string env)
    {
        // Dueling heads exist for the MLP only: a frame or dict network would silently train a plain head.
        var run = CliRun.Of("train", "--env", env, "--algo", "dqn", "--dueling", "true", "--total-timesteps", "64", "--run-dir", _directory.File("dueling"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("dueling", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public void Train_CatchWithFlagsAndConfigKeys_TheUsersValuesWin()
    {
        var configPath = _directory.File("config.json");
        File.WriteAllText(configPath, """{ "env": "Catch-v0", "clip-coef": 0.3, "num-steps": 8, "total-timesteps": 32 }""");
        var runDir = _directory.File("run");

        var run = CliRun.Of("train", "--config", configPath, "--num-envs", "2", "--num-minibatches", "2", "--hidden-sizes", "32", "--run-dir", runDir, "--plain");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")));
        var root = config.RootElement;
        Assert.Equal(0.3, root.GetProperty("clip-coef").GetDouble());
        Assert.Equal(2, root.GetProperty("num-envs").GetInt32());
        Assert.Equal(2, root.GetProperty("num-minibatches").GetInt32());
        Assert.Equal([32], root.GetProperty("hidden-sizes").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Train_ClassicEnv_KeepsPpoPyDefaultsAfterACatchRecipeExists()
    {
        var runDir = _directory.File("run");

        var run = CliRun.Of("train", "--env", "Acrobot-v1", "--total-timesteps", "512", "--run-dir", runDir, "--plain");

        Assert.Equal(0, run.ExitCode);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")));
        Assert.Equal(4, config.RootElement.GetProperty("num-envs").GetInt32());
        Assert.Equal(0.2, config.RootElement.GetProperty("clip-coef").GetDouble());
        Assert.Equal([64, 64], config.RootElement.GetProperty("hidden-sizes").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Train_CatchWithTwoHiddenSizes_FailsNamingTheOption()
    {
        var run = CliRun.Of("train", "--env", "Catch-v0", "--hidden-sizes", "64", "64", "--total-timesteps", "1024", "--run-dir", _directory.File("run"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("hidden-sizes takes one width", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public void TrainResumeAndEval_Catch_ContinueTheRunAndRecordAVideoOfRenderedFrames()
    {
        var runDir = _directory.File("run");
        string[] small = ["--num-envs", "2", "--num-steps", "16", "--hidden-sizes", "32", "--seed", "4", "--plain"];

        var first = CliRun.Of(["train", "--env", "Catch-v0", "--total-timesteps", "64", "--run-dir", runDir, .. small]);
        Assert.Equal(0, first.ExitCode);
        Assert.Empty(first.Error);
        var resumed = CliRun.Of("train", "--resume", runDir, "--total-timesteps", "96", "--plain");
        Assert.Equal(0, resumed.ExitCode);
        Assert.Empty(resumed.Error);

        // The resumed run continues the step count and the policy versions of the first one.
        var rows = File.ReadAllLines(Path.Combine(runDir, "metrics.csv"));
        var header = rows[0].Split(',');
        var steps = rows[1..].Select(r => r.Split(',')[0]).ToArray();
        Assert.Equal(["32", "64", "96"], steps);
        Assert.Equal("3", rows[^1].Split(',')[Array.IndexOf(header, "policy_version")]);

        var video = _directory.File("episode.gif");
        var eval = CliRun.Of("eval", "--checkpoint", runDir, "--episodes", "3", "--video", video);
        Assert.Equal(0, eval.ExitCode);
        Assert.Empty(eval.Error);
        Assert.Equal(5, eval.OutputLines.Length);

        // Every Catch episode is 9 steps long and pays ±1.
        Assert.All(eval.OutputLines[..3], line => Assert.Matches(@"^episode \d: return -?1\.00, length 9$", line));
        Assert.Contains("(policy v3, 96 training steps)", eval.OutputLines[3]);
        var gif = File.ReadAllBytes(video);
        Assert.Equal("GIF89a", System.Text.Encoding.ASCII.GetString(gif, 0, 6));
        Assert.Equal(84, BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(6)));
        Assert.Equal(84, BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(8)));
        Assert.True(double.Parse(eval.OutputLines[3].Split(':')[1].Split(' ')[1], CultureInfo.InvariantCulture) is >= -1 and <= 1);
    }
}
