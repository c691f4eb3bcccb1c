using System.Globalization;
using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Models;
using Tempo.Cli.Tests.Commands;
using Tempo.Core.Envs.Live;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Nn.Optimizers;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Runs;

namespace Tempo.Cli.Tests.Training;

/// <summary>
/// Checkpoints of asynchronous runs (<c>tempo train --schedule async</c>): what they hold, resuming them, refusing
/// to resume them with another algorithm or model, and evaluating them.
/// </summary>
/// <remarks>
/// The runs use LiveCartPole-v1 at 1000 Hz: its actors step at a known pace the learner keeps up with, so a run of a
/// second makes a predictable number of updates (on plain CartPole the actors would finish the budget before the
/// learner's first update).
/// </remarks>
public sealed class AsyncRunCheckpointTests : IDisposable
{
    private const int Actors = 2;
    private const int StepsPerSegment = 16;
    private const int Epochs = 2;

    // Two actors at 1000 Hz take 2 s for this budget. A nice-19 thread beside nice-0 work gets CFS weight 15 against
    // 1024 per runnable thread: beside two CPU hogs and a test run (~4 runnable threads a core) that is ~0.4 % of a
    // core, ~8 ms of CPU in 2 s, several times what writing this small checkpoint costs; at 1600 steps (0.8 s) a
    // starved writer missed every report in one run of the suite beside two hogs.
    private const int PeriodicRunSteps = 4000;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Train_AsyncAppo_WritesACheckpointWithLearnerAndActorState()
    {
        var runDir = _directory.File("appo");

        var run = Train(runDir, "appo", totalSteps: 1600);

        Assert.Equal(0, run.ExitCode);
        var checkpoint = CheckpointFile.ReadMetadata(Checkpoint(runDir));
        // Actors overshoot the budget by at most a segment each, and the learner trains on every segment handed over.
        Assert.InRange(checkpoint.Updates, 10, (1600 / StepsPerSegment) + Actors);
        Assert.Equal(checkpoint.Updates, checkpoint.PolicyVersion);
        Assert.Equal(checkpoint.Updates * StepsPerSegment, checkpoint.TrainedSteps);
        Assert.InRange(checkpoint.GlobalStep, 1600, 1600 + (Actors * StepsPerSegment));
        Assert.True(checkpoint.Episodes > 0);
        Assert.Equal(0, checkpoint.Resumes);
        Assert.Equal(["actor-0", "actor-1", "learner"], checkpoint.RandomStates.Keys.Order());
        Assert.Contains("\"algo\": \"appo\"", checkpoint.Config);
        Assert.Contains("\"schedule\": \"async\"", checkpoint.Config);

        // Adam stepped once per minibatch (one per update here) and epoch.
        Assert.Equal(checkpoint.Updates * Epochs, AdamStepCount(runDir));
    }

    [Fact]
    public void Run_CheckpointEvery_WritesCheckpointsWhileTheActorsRun()
    {
        var runDir = _directory.File("periodic");
        var settings = new RunSettings
        {
            Env = "LiveCartPole-v1",
            EnvOptions = new LiveCartPoleOptions { Ticks = new LiveTickOptions { TickRateHertz = 1000 } },
            Algorithm = new AppoOptions { NumMinibatches = 1, UpdateEpochs = Epochs, LearningRate = 1e-3 },
            Schedule = ScheduleKind.Asynchronous,
            Async = new AsynchronousOptions { NumActors = Actors },
            Collection = new CollectionOptions { NumEnvs = 1, NumSteps = StepsPerSegment, TotalTimesteps = PeriodicRunSteps },
            CheckpointEvery = 5,
            RunDirectory = runDir,
        };
        using var sink = new CheckpointPeekingSink(Checkpoint(runDir));

        Trainer.Train(EnvRegistry.CreateDefault(), settings, new RunHooks { Progress = sink });

        // The reports are written before the final checkpoint; what they found on disk is periodic, taken mid-run. The
        // writer runs at the lowest priority (nice 19), so on a loaded machine its first file can land after several
        // reports: every report is looked at, not only the first (see PeriodicRunSteps for why one is bound to see it).
        Assert.NotEmpty(sink.Seen);
        var periodic = sink.Seen.FirstOrDefault(seen => seen is not null);
        Assert.True(periodic is not null, $"none of {sink.Seen.Count} reports found a checkpoint on disk");
        Assert.True(periodic.Updates > 0 && periodic.Updates % 5 == 0, $"updates {periodic.Updates}");
        Assert.InRange(periodic.GlobalStep, 1, PeriodicRunSteps + (Actors * StepsPerSegment));
        Assert.Equal(["actor-0", "actor-1", "learner"], periodic.RandomStates.Keys.Order());
        Assert.True(CheckpointFile.ReadMetadata(Checkpoint(runDir)).Updates >= periodic.Updates);
    }

    [Fact]
    public void Train_ResumeAsyncAppo_ContinuesStepsVersionOptimizerAndMetrics()
    {
        var runDir = _directory.File("resume");
        Assert.Equal(0, Train(runDir, "appo", totalSteps: 1000).ExitCode);
        var first = CheckpointFile.ReadMetadata(Checkpoint(runDir));
        var firstRows = File.ReadAllLines(Path.Combine(runDir, "metrics.csv")).Length - 1;

        var run = CliRun.Of("train", "--resume", runDir, "--total-timesteps", "2000", "--plain");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        var resumed = CheckpointFile.ReadMetadata(Checkpoint(runDir));
        Assert.Equal(1, resumed.Resumes);
        Assert.InRange(resumed.GlobalStep, 2000, 2000 + (Actors * StepsPerSegment));
        Assert.True(resumed.Updates > first.Updates + 10, $"updates {first.Updates} then {resumed.Updates}");
        Assert.Equal(resumed.Updates, resumed.PolicyVersion);
        Assert.Equal(resumed.Updates * StepsPerSegment, resumed.TrainedSteps);
        Assert.True(resumed.Episodes > first.Episodes);

        // Adam's step count continued from the saved one (a fresh optimizer would count only this session's steps).
        Assert.Equal(resumed.Updates * Epochs, AdamStepCount(runDir));

        // metrics.csv was appended to, and the resumed run's rows continue the step count and the policy version.
        var lines = File.ReadAllLines(Path.Combine(runDir, "metrics.csv"));
        var header = lines[0].Split(',');
        var rows = lines[1..].Select(l => l.Split(',')).ToArray();
        var step = Array.IndexOf(header, "global_step");
        var version = Array.IndexOf(header, "policy_version");
        Assert.True(rows.Length > firstRows);
        Assert.All(rows[firstRows..], r => Assert.True(long.Parse(r[step], CultureInfo.InvariantCulture) > first.GlobalStep));
        Assert.All(rows[firstRows..], r => Assert.True(long.Parse(r[version], CultureInfo.InvariantCulture) > first.PolicyVersion));
        Assert.Contains($"trained {resumed.GlobalStep} steps", run.Output);
    }

    [Fact]
    public void Train_ResumeAsyncImpala_ContinuesWithoutALearnerStream()
    {
        var runDir = _directory.File("impala");
        Assert.Equal(0, Train(runDir, "impala", totalSteps: 800).ExitCode);
        var first = CheckpointFile.ReadMetadata(Checkpoint(runDir));

        var run = CliRun.Of("train", "--resume", runDir, "--total-timesteps", "1600", "--plain");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        var resumed = CheckpointFile.ReadMetadata(Checkpoint(runDir));
        Assert.Equal(["actor-0", "actor-1"], resumed.RandomStates.Keys.Order());
        Assert.True(resumed.Updates > first.Updates);
        Assert.Equal(resumed.Updates, resumed.PolicyVersion);
        Assert.Equal(resumed.Updates * StepsPerSegment, resumed.TrainedSteps);

        // IMPALA takes one gradient step per update.
        Assert.Equal(resumed.Updates, AdamStepCount(runDir));
    }

    [Theory]
    [InlineData(new[] { "--algo", "impala" }, "algo: the checkpoint was trained with appo, this run asks for impala")]
    [InlineData(new[] { "--algo", "ppo", "--schedule", "sync" }, "algo: the checkpoint was trained with appo, this run asks for ppo")]
    [InlineData(new[] { "--env", "CartPole-v1" }, "env: the checkpoint was trained on LiveCartPole-v1, this run asks for CartPole-v1")]
    [InlineData(new[] { "--hidden-sizes", "32" }, "model shape: the checkpoint's hidden sizes are [64, 64], this run asks for [32]")]
    public void Train_ResumeWithAnotherAlgorithmOrModel_FailsNamingTheMismatchAndChangesNothing(string[] flags, string named)
    {
        var runDir = _directory.File("mismatch");
        Assert.Equal(0, Train(runDir, "appo", totalSteps: 64).ExitCode);
        var checkpointBytes = File.ReadAllBytes(Checkpoint(runDir));
        var config = File.ReadAllText(Path.Combine(runDir, "config.json"));
        var metrics = File.ReadAllText(Path.Combine(runDir, "metrics.csv"));

        var run = CliRun.Of(["train", "--resume", runDir, "--plain", .. flags]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: Cannot resume from ", run.Error);
        Assert.Contains(named, run.Error);
        Assert.Equal(checkpointBytes, File.ReadAllBytes(Checkpoint(runDir)));
        Assert.Equal(config, File.ReadAllText(Path.Combine(runDir, "config.json")));
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(runDir, "metrics.csv")));
    }

    [Fact]
    public void Eval_AsyncCheckpoint_PlaysItsPolicy()
    {
        var runDir = _directory.File("eval");
        Assert.Equal(0, Train(runDir, "appo", totalSteps: 800).ExitCode);
        var checkpoint = CheckpointFile.ReadMetadata(Checkpoint(runDir));

        var run = CliRun.Of("eval", "--checkpoint", runDir, "--episodes", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Contains($"mean return over 2 episodes: ", run.Output);
        Assert.Contains($"(policy v{checkpoint.PolicyVersion}, {checkpoint.GlobalStep} training steps)", run.Output);

        var sampled = CliRun.Of("eval", "--checkpoint", runDir, "--episodes", "2", "--sample");

        Assert.Equal(0, sampled.ExitCode);
        Assert.Contains($"mean return over 2 episodes with sampled actions: ", sampled.Output);
    }

    [Fact]
    public void Train_AsyncContinuousEnv_SavesAndRestoresEveryActorsNormalizers()
    {
        // Pendulum's recipe normalizes observations and rewards per env: 2 actors x 2 envs.
        var runDir = _directory.File("pendulum");
        string[] common = ["--env", "Pendulum-v1", "--algo", "appo", "--schedule", "async", "--num-actors", "2", "--num-envs", "2", "--num-steps", "16", "--num-minibatches", "1", "--plain"];
        Assert.Equal(0, CliRun.Of(["train", "--run-dir", runDir, "--total-timesteps", "2000", .. common]).ExitCode);
        var first = CheckpointFile.ReadMetadata(Checkpoint(runDir));
        Assert.Equal(4, first.ObservationNormalizers.Count);
        Assert.Equal(4, first.RewardNormalizers.Count);

        // Every env step (and reset) updates its env's statistics once.
        Assert.True(first.ObservationNormalizers.Sum(n => n.Count) >= first.GlobalStep);

        var run = CliRun.Of("train", "--resume", runDir, "--total-timesteps", "4000", "--plain");

        Assert.Equal(0, run.ExitCode);
        var resumed = CheckpointFile.ReadMetadata(Checkpoint(runDir));

        // The normalizers continued from their saved counts: together they have seen both sessions' steps.
        Assert.True(resumed.ObservationNormalizers.Sum(n => n.Count) >= resumed.GlobalStep, $"{resumed.ObservationNormalizers.Sum(n => n.Count)} < {resumed.GlobalStep}");
        Assert.True(resumed.RewardNormalizers.Sum(n => n.ReturnStatistics.Count) >= resumed.GlobalStep);

        Assert.Equal(0, CliRun.Of("eval", "--checkpoint", runDir, "--episodes", "1").ExitCode);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void Train_ResumeWithAnotherActorCount_EveryEnvStartsFromSavedNormalizers(int actors)
    {
        // 2 actors x 2 envs saved; the resumed run's env j takes saved env j mod 4's statistics.
        var runDir = _directory.File("pendulum-actors");
        string[] common = ["--env", "Pendulum-v1", "--algo", "appo", "--schedule", "async", "--num-envs", "2", "--num-steps", "16", "--num-minibatches", "1", "--plain"];
        Assert.Equal(0, CliRun.Of(["train", "--run-dir", runDir, "--num-actors", "2", "--total-timesteps", "2000", .. common]).ExitCode);
        var first = CheckpointFile.ReadMetadata(Checkpoint(runDir));

        var run = CliRun.Of(["train", "--resume", runDir, "--num-actors", actors.ToString(CultureInfo.InvariantCulture), "--total-timesteps", "3000", "--plain"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        var resumed = CheckpointFile.ReadMetadata(Checkpoint(runDir));
        Assert.Equal(actors * 2, resumed.ObservationNormalizers.Count);
        for (var j = 0; j < resumed.ObservationNormalizers.Count; j++)
        {
            // Statistics only grow: each env continued from the env it took them from.
            Assert.True(resumed.ObservationNormalizers[j].Count > first.ObservationNormalizers[j % 4].Count, $"env {j}");
        }
    }

    [Fact]
    public void Train_CheckpointEveryNotPositive_Fails()
    {
        var run = CliRun.Of("train", "--checkpoint-every", "0", "--run-dir", _directory.File("zero"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("checkpoint-every (--checkpoint-every) must be a positive number of updates; got 0", run.Error);
    }

    private static CliRun Train(string runDir, string algo, long totalSteps) => CliRun.Of(
    [
        "train", "--env", "LiveCartPole-v1", "--tick-rate", "1000", "--algo", algo, "--schedule", "async",
        "--num-actors", Actors.ToString(CultureInfo.InvariantCulture), "--num-envs", "1", "--num-steps", StepsPerSegment.ToString(CultureInfo.InvariantCulture),
        "--learning-rate", "0.001", "--total-timesteps", totalSteps.ToString(CultureInfo.InvariantCulture), "--checkpoint-every", "10", "--run-dir", runDir, "--plain",

        // IMPALA takes one gradient step per batch; minibatches and epochs are APPO's settings.
        .. algo == "appo" ? ["--num-minibatches", "1", "--update-epochs", Epochs.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
    ]);

    private static string Checkpoint(string runDir) => Path.Combine(runDir, CheckpointFile.FileName);

    private static long AdamStepCount(string runDir)
    {
        var model = new CategoricalMlpActorCritic(4, 2, [64, 64], new RandomSource(0));
        var adam = new Adam(model.NamedParameters, new AdamOptions());
        CheckpointFile.Load(Checkpoint(runDir), model.NamedParameters, [new NamedOptimizerState("actor_critic", adam.State, model.NamedParameters)]);
        return adam.State.StepCount;
    }

    /// <summary>Reads the run's checkpoint, if there is one yet, whenever a report is written.</summary>
    private sealed class CheckpointPeekingSink(string path) : IMetricsSink
    {
        public List<TrainingCheckpoint?> Seen { get; } = [];

        public void Write(TrainingReport report) => Seen.Add(File.Exists(path) ? CheckpointFile.ReadMetadata(path) : null);

        public void WriteEpisode(EpisodeReport episode)
        {
        }

        public void Dispose()
        {
        }
    }
}
