namespace Tempo.Algorithms.Learners;

/// <summary>What one learner update measured (CleanRL's logged quantities), averaged over its minibatches.</summary>
public sealed record LearnerStatistics
{
    /// <summary>The learning rate used.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Policy (surrogate) loss.</summary>
    public required double PolicyLoss { get; init; }

    /// <summary>Value loss.</summary>
    public required double ValueLoss { get; init; }

    /// <summary>Mean policy entropy.</summary>
    public required double Entropy { get; init; }

    /// <summary>Approximate KL divergence between the behaviour and the updated policy (k3 estimator).</summary>
    public double? ApproxKl { get; init; }

    /// <summary>Fraction of samples whose ratio was clipped.</summary>
    public double? ClipFraction { get; init; }

    /// <summary>Explained variance of the value targets by the value predictions.</summary>
    public double? ExplainedVariance { get; init; }

    /// <summary>Global gradient norm before clipping, averaged over minibatches.</summary>
    public double? GradientNorm { get; init; }

    /// <summary>Mean policy lag of the trained transitions (learner version before the update minus the segment's behaviour version); null where the learner does not measure it.</summary>
    public double? PolicyLagMean { get; init; }

    /// <summary>Largest policy lag among the trained segments; null where the learner does not measure it.</summary>
    public long? PolicyLagMax { get; init; }

    /// <summary>The policy version after the update.</summary>
    public required long PolicyVersion { get; init; }
}
