using Tempo.Algorithms.Sac;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Tests.Runs;

/// <summary>SAC through the public run: sac_continuous_action.py's defaults from the recipe, training, deterministic evaluation and resume from its checkpoint, and envs it cannot train refused.</summary>
public sealed class SacRunTests
{
    [Fact]
    public void Defaults_AreSacContinuousActionPy() =>
        ReplayRunFixture.AssertScriptDefaults("Pendulum-v1", "sac", new SacOptions(), [256, 256], (1, 1, 1_000_000L));

    [Fact]
    public void DiscreteActionEnv_IsRefusedNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => ActorCriticRecipes.Defaults(EnvRegistry.CreateDefault().GetSpec("CartPole-v1"), "sac"));

        Assert.Contains("CartPole-v1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_Evaluate_Resume_OnPendulum()
    {
        using var runs = new ReplayRunFixture();
        var defaults = runs.Defaults("Pendulum-v1", "sac", "sac");
        var settings = defaults with
        {
            Algorithm = new SacOptions { LearningStarts = 300, BatchSize = 32 },
            Model = new ModelOptions { HiddenSizes = [32, 32] },
            Collection = defaults.Collection with { TotalTimesteps = 500 },
        };

        var run = runs.Train(settings, resumedSteps: 600);

        Assert.Equal(500, run.First.GlobalStep);

        // One gradient step (and policy version) per env step after learning-starts.
        Assert.Equal(200, run.Checkpoint.PolicyVersion);
        Assert.Equal(ModelKind.SacMlp, run.Evaluation.Model.Kind);
        Assert.Equal(2, run.Evaluation.Episodes.Count);
        Assert.Equal(600, run.Resumed!.GlobalStep);
        Assert.Equal(300, run.ResumedPolicyVersion);
    }
}
