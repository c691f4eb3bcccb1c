namespace Tempo.Nn.Optimizers;

/// <summary>Hyperparameters of <see cref="Adam"/>, with PyTorch's defaults.</summary>
public sealed record AdamOptions
{
    /// <summary>The initial learning rate α (PyTorch's <c>lr</c>); <see cref="Adam.LearningRate"/> changes it later.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The decay rate β₁ of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>The decay rate β₂ of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>The term ε added to the denominator outside the square root (CleanRL's PPO uses 1e-5).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>The L2 penalty added to the gradient as <c>weightDecay · parameter</c> (PyTorch's Adam form, not AdamW's).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Whether to maximize the objective instead of minimizing it (the gradient is negated).</summary>
    public bool Maximize { get; init; }

    /// <summary>Throws when a value is outside the range PyTorch accepts.</summary>
    public void Validate()
    {
        if (!(LearningRate >= 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be finite and non-negative.");
        }

        if (!(Beta1 >= 0 && Beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "Beta1 must be in [0, 1).");
        }

        if (!(Beta2 >= 0 && Beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "Beta2 must be in [0, 1).");
        }

        if (!(Epsilon >= 0) || double.IsInfinity(Epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "Epsilon must be finite and non-negative.");
        }

        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay must be finite and non-negative.");
        }
    }
}
