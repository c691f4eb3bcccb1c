using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Sac;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Tests.Runs;

/// <summary>Discrete SAC and DQN over byte frames through the public run: training, greedy evaluation and resume from the checkpoint.</summary>
public sealed class ReplayRunTests : IDisposable
{
    private readonly ReplayRunFixture _runs = new();

    public void Dispose() => _runs.Dispose();

    [Fact]
    public void DiscreteSac_Train_Evaluate_Resume_OnCartPole()
    {
        var defaults = _runs.Defaults("CartPole-v1", "sac-discrete", "sac-discrete");
        var settings = defaults with
        {
            Algorithm = new DiscreteSacOptions { LearningStarts = 500, BatchSize = 32, BufferSize = 10_000 },
            Collection = defaults.Collection with { TotalTimesteps = 2_000 },
        };

        var run = _runs.Train(settings, resumedSteps: 2_400);

        // Rollouts of update-frequency (4) steps, each ending in one update past step 500: (2000 − 500) / 4 versions.
        Assert.Equal(4, defaults.Collection.NumSteps);
        Assert.Equal(2_000, run.First.GlobalStep);
        Assert.Equal(375, run.Checkpoint.PolicyVersion);
        Assert.Equal(ModelKind.DiscreteSacMlp, run.Evaluation.Model.Kind);
        Assert.Equal(2, run.Evaluation.Episodes.Count);
        Assert.Equal(2_400, run.Resumed!.GlobalStep);
        Assert.Equal(475, run.ResumedPolicyVersion);
    }

    [Fact]
    public void Dqn_Train_Evaluate_OnCatchFrames()
    {
        var defaults = _runs.Defaults("Catch-v0", "dqn", "dqn-catch");
        var settings = defaults with
        {
            Algorithm = new DqnOptions { LearningStarts = 200, BatchSize = 8, BufferSize = 1_000 },
            Collection = defaults.Collection with { TotalTimesteps = 600 },
        };

        var run = _runs.Train(settings);

        // dqn_atari.py's 512-wide layer; (600 − 200) / 10 gradient steps, one version each.
        Assert.Equal([512], defaults.Model.HiddenSizes);
        Assert.Equal(600, run.First.GlobalStep);
        Assert.Equal(40, run.Checkpoint.PolicyVersion);
        Assert.Equal(ModelKind.QCnn, run.Evaluation.Model.Kind);
        Assert.Equal(2, run.Evaluation.Episodes.Count);
    }

    [Fact]
    public void DiscreteSac_OnContinuousActions_IsRefusedNamingTheEnv()
    {
        var error = Assert.Throws<ArgumentException>(() => ActorCriticRecipes.Defaults(EnvRegistry.CreateDefault().GetSpec("Pendulum-v1"), "sac-discrete"));

        Assert.Contains("Pendulum-v1", error.Message, StringComparison.Ordinal);
        Assert.Contains("discrete actions", error.Message, StringComparison.Ordinal);
    }
}
