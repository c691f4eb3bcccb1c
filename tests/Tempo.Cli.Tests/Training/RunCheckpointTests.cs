using Tempo.Algorithms.Ppo;
using Tempo.Cli.Training;
using Tempo.Runtime.Checkpoints;

namespace Tempo.Cli.Tests.Training;

/// <summary>Which settings may resume which checkpoint: algorithm, env and network shape must match; the rest may change.</summary>
public sealed class RunCheckpointTests
{
    private const string Path = "/runs/a/checkpoint.tempo";

    private static readonly TrainSettings _appo = new()
    {
        Env = "LiveCartPole-v1",
        Algo = TrainAlgorithm.Appo,
        Schedule = TrainSchedule.Async,
        NumActors = 4,
        Ppo = new PpoOptions { NumEnvs = 1, NumSteps = 32, LearningRate = 1e-3, TotalTimesteps = 200_000 },
    };

    [Fact]
    public void RequireResumable_OtherBudgetLearningRateAndActors_Passes()
    {
        var settings = _appo with { NumActors = 2, Ppo = _appo.Ppo with { TotalTimesteps = 400_000, LearningRate = 5e-4 } };

        RunCheckpoint.RequireResumable(CheckpointOf(_appo), Path, settings);
    }

    [Fact]
    public void RequireResumable_AppoCheckpointAsImpala_FailsNamingBothAlgorithms()
    {
        var error = Assert.Throws<ArgumentException>(() => RunCheckpoint.RequireResumable(CheckpointOf(_appo), Path, _appo with { Algo = TrainAlgorithm.Impala }));

        Assert.Equal(
            $"Cannot resume from {Path}: algo: the checkpoint was trained with appo, this run asks for impala (--algo). "
            + "Resume with the checkpoint's settings or start a new run in another folder.",
            error.Message);
    }

    [Fact]
    public void RequireResumable_PpoCheckpointAsAppo_Fails()
    {
        var ppo = _appo with { Algo = TrainAlgorithm.Ppo, Schedule = TrainSchedule.Sync };

        var error = Assert.Throws<ArgumentException>(() => RunCheckpoint.RequireResumable(CheckpointOf(ppo), Path, _appo));

        Assert.Contains("algo: the checkpoint was trained with ppo, this run asks for appo", error.Message);
    }

    [Fact]
    public void RequireResumable_OtherEnvAndHiddenSizes_NamesEveryMismatch()
    {
        var settings = _appo with { Env = "CartPole-v1", Ppo = _appo.Ppo with { HiddenSizes = [128] } };

        var error = Assert.Throws<ArgumentException>(() => RunCheckpoint.RequireResumable(CheckpointOf(_appo), Path, settings));

        Assert.Contains("env: the checkpoint was trained on LiveCartPole-v1, this run asks for CartPole-v1 (--env)", error.Message);
        Assert.Contains("model shape: the checkpoint's hidden sizes are [64, 64], this run asks for [128] (--hidden-sizes)", error.Message);
        Assert.DoesNotContain("algo:", error.Message);
    }

    [Fact]
    public void RequireRandomState_Missing_FailsNamingTheStreamsItHas()
    {
        var checkpoint = CheckpointOf(_appo);

        var error = Assert.Throws<InvalidDataException>(() => RunCheckpoint.RequireRandomState(checkpoint, "policy"));

        Assert.Contains("no 'policy' random state", error.Message);
        Assert.Contains("'learner'", error.Message);
    }

    private static TrainingCheckpoint CheckpointOf(TrainSettings settings) => new()
    {
        Config = TrainConfigFile.Serialize(settings),
        GlobalStep = 1_000,
        Updates = 10,
        PolicyVersion = 10,
        Episodes = 5,
        RandomStates = new Dictionary<string, Core.Seeding.RandomSourceState> { ["learner"] = default },
    };
}
