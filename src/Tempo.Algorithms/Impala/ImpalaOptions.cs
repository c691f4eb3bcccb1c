using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Core.Configuration;
using Tempo.Core.Seeding;

namespace Tempo.Algorithms.Impala;

/// <summary>IMPALA's hyperparameters (Espeholt et al. 2018); the defaults are the paper's where they carry over to small control tasks.</summary>
/// <remarks>
/// The paper optimizes with RMSProp (ε = 0.01, decay 0.99, no momentum); Tempo uses Adam, which needs no such
/// tuning and is what the other learners use. Each property binds to the CLI flag and config key of the same name
/// in kebab-case (<see cref="BaselineCoef"/> ↔ <c>--baseline-coef</c>).
/// </remarks>
public sealed record ImpalaOptions : IActorCriticAlgorithm
{
    /// <summary>Adam's learning rate (the starting value when annealed).</summary>
    public double LearningRate { get; init; } = 6e-4;

    /// <summary>Anneal the learning rate linearly to zero over the run's step budget, as the paper does.</summary>
    public bool AnnealLr { get; init; } = true;

    /// <summary>Discount factor γ.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>V-trace's ρ̄: truncation of the importance weights in the value targets and the policy gradient.</summary>
    public double RhoBar { get; init; } = 1.0;

    /// <summary>V-trace's c̄: truncation of the trace-cutting importance weights.</summary>
    public double CBar { get; init; } = 1.0;

    /// <summary>Entropy bonus coefficient.</summary>
    public double EntCoef { get; init; } = 0.01;

    /// <summary>Baseline (value) loss coefficient, the paper's baseline cost.</summary>
    public double BaselineCoef { get; init; } = 0.5;

    /// <summary>Global gradient-norm clipping threshold (the paper clips at 40).</summary>
    public double MaxGradNorm { get; init; } = 40;

    /// <summary>Adam's ε.</summary>
    public double AdamEps { get; init; } = 1e-8;

    /// <inheritdoc/>
    public string Name => "impala";

    /// <inheritdoc/>
    public bool IsOnPolicy => false;

    /// <inheritdoc/>
    public void Validate(LearnerShape shape)
    {
        shape.Validate();
        OptionError.Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive");
        OptionError.Require(Gamma is >= 0 and <= 1, nameof(Gamma), Gamma, "must lie in [0, 1]");
        OptionError.Require(RhoBar > 0 && double.IsFinite(RhoBar), nameof(RhoBar), RhoBar, "must be positive");
        OptionError.Require(CBar > 0 && double.IsFinite(CBar), nameof(CBar), CBar, "must be positive");
        OptionError.Require(EntCoef >= 0, nameof(EntCoef), EntCoef, "must not be negative");
        OptionError.Require(BaselineCoef >= 0, nameof(BaselineCoef), BaselineCoef, "must not be negative");
        OptionError.Require(MaxGradNorm > 0, nameof(MaxGradNorm), MaxGradNorm, "must be positive");
        OptionError.Require(AdamEps > 0, nameof(AdamEps), AdamEps, "must be positive");
    }

    /// <inheritdoc/>
    /// <remarks>IMPALA draws nothing at random; <paramref name="random"/> is not used.</remarks>
    public ICheckpointableLearner<TObservation, TAction> CreateLearner<TObservation, TAction>(IActorCritic<TObservation, TAction> model, LearnerShape shape, RandomSource random)
        where TObservation : unmanaged
        where TAction : unmanaged =>
        new ImpalaLearner<TObservation, TAction>(model, this, shape);

}
