namespace Tempo.Algorithms.Learners;

/// <summary>The statistics every actor-critic learner (PPO, APPO, IMPALA) reports, named as CleanRL's <c>ppo.py</c> tags them, so curves overlay CleanRL's.</summary>
public static class ActorCriticStatistics
{
    /// <summary>The learning rate of the update.</summary>
    public const string LearningRate = "charts/learning_rate";

    /// <summary>Policy (surrogate) loss.</summary>
    public const string PolicyLoss = "losses/policy_loss";

    /// <summary>Value loss.</summary>
    public const string ValueLoss = "losses/value_loss";

    /// <summary>Mean policy entropy.</summary>
    public const string Entropy = "losses/entropy";

    /// <summary>Approximate KL divergence between the behaviour and the updated policy (k3 estimator).</summary>
    public const string ApproxKl = "losses/approx_kl";

    /// <summary>Fraction of samples whose ratio was clipped.</summary>
    public const string ClipFraction = "losses/clipfrac";

    /// <summary>Explained variance of the value targets by the value predictions.</summary>
    public const string ExplainedVariance = "losses/explained_variance";

    /// <summary>Global gradient norm before clipping.</summary>
    public const string GradientNorm = "losses/grad_norm";

    /// <summary>Every name above, in the order the statistics hold them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [LearningRate, PolicyLoss, ValueLoss, Entropy, ApproxKl, ClipFraction, ExplainedVariance, GradientNorm];

    /// <summary>Writes <paramref name="measured"/> into <paramref name="statistics"/>, which must have been created with <see cref="Names"/>.</summary>
    internal static void Write(LearnerStatistics statistics, in ActorCriticMeasurements measured)
    {
        statistics[0] = measured.LearningRate;
        statistics[1] = measured.PolicyLoss;
        statistics[2] = measured.ValueLoss;
        statistics[3] = measured.Entropy;
        statistics[4] = measured.ApproxKl;
        statistics[5] = measured.ClipFraction;
        statistics[6] = measured.ExplainedVariance;
        statistics[7] = measured.GradientNorm;
    }
}
