namespace Tempo.Algorithms.Impala;

/// <summary>IMPALA's hyperparameters (Espeholt et al. 2018); the defaults are the paper's where they carry over to small control tasks.</summary>
/// <remarks>
/// The paper optimizes with RMSProp (ε = 0.01, decay 0.99, no momentum); Tempo uses Adam, which needs no such
/// tuning and is what the other learners use. Each property binds to the CLI flag and config key of the same name
/// in kebab-case (<see cref="BaselineCoef"/> ↔ <c>--baseline-coef</c>).
/// </remarks>
public sealed record ImpalaOptions
{
    /// <summary>Total environment steps to train for; the learning rate anneals over the transitions trained on.</summary>
    public long TotalTimesteps { get; init; } = 500_000;

    /// <summary>Adam's learning rate (the starting value when annealed).</summary>
    public double LearningRate { get; init; } = 6e-4;

    /// <summary>Parallel environments per actor (read by whoever builds the actors).</summary>
    public int NumEnvs { get; init; } = 4;

    /// <summary>Steps per environment in each segment, the paper's unroll length (read by whoever builds the actors).</summary>
    public int NumSteps { get; init; } = 20;

    /// <summary>Anneal the learning rate linearly to zero over <see cref="TotalTimesteps"/>, as the paper does.</summary>
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

    /// <summary>Hidden layer widths of the actor and critic MLPs (tanh).</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [64, 64];

    /// <summary>Transitions per actor segment: <see cref="NumEnvs"/> × <see cref="NumSteps"/>.</summary>
    public int BatchSize => NumEnvs * NumSteps;

    /// <summary>Throws naming the first invalid setting and its value.</summary>
    public void Validate()
    {
        Require(TotalTimesteps > 0, nameof(TotalTimesteps), TotalTimesteps, "must be positive");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive");
        Require(NumEnvs > 0, nameof(NumEnvs), NumEnvs, "must be positive");
        Require(NumSteps > 0, nameof(NumSteps), NumSteps, "must be positive");
        Require(Gamma is >= 0 and <= 1, nameof(Gamma), Gamma, "must lie in [0, 1]");
        Require(RhoBar > 0 && double.IsFinite(RhoBar), nameof(RhoBar), RhoBar, "must be positive");
        Require(CBar > 0 && double.IsFinite(CBar), nameof(CBar), CBar, "must be positive");
        Require(EntCoef >= 0, nameof(EntCoef), EntCoef, "must not be negative");
        Require(BaselineCoef >= 0, nameof(BaselineCoef), BaselineCoef, "must not be negative");
        Require(MaxGradNorm > 0, nameof(MaxGradNorm), MaxGradNorm, "must be positive");
        Require(AdamEps > 0, nameof(AdamEps), AdamEps, "must be positive");
        Require(HiddenSizes is { Count: > 0 } && HiddenSizes.All(h => h > 0), nameof(HiddenSizes), HiddenSizes is null ? "null" : string.Join(",", HiddenSizes), "must be one or more positive widths");
    }

    private static void Require(bool condition, string name, object value, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"IMPALA option {name} {rule}; got {value}.", name);
        }
    }
}
