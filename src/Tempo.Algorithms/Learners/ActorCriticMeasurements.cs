namespace Tempo.Algorithms.Learners;

/// <summary>What an actor-critic update measured, before it is written under <see cref="ActorCriticStatistics"/>' names.</summary>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="PolicyLoss">Policy (surrogate) loss.</param>
/// <param name="ValueLoss">Value loss.</param>
/// <param name="Entropy">Mean policy entropy.</param>
/// <param name="ApproxKl">Approximate KL divergence (k3 estimator).</param>
/// <param name="ClipFraction">Fraction of clipped ratios.</param>
/// <param name="ExplainedVariance">Explained variance of the value targets (NaN when they do not vary).</param>
/// <param name="GradientNorm">Global gradient norm before clipping.</param>
public readonly record struct ActorCriticMeasurements(
    double LearningRate,
    double PolicyLoss,
    double ValueLoss,
    double Entropy,
    double ApproxKl,
    double ClipFraction,
    double ExplainedVariance,
    double GradientNorm);
