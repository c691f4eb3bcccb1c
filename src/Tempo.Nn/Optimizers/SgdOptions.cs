namespace Tempo.Nn.Optimizers;

/// <summary>Hyperparameters of <see cref="Sgd"/>, with PyTorch's defaults (plain SGD without momentum).</summary>
public sealed record SgdOptions
{
    /// <summary>The initial learning rate (PyTorch's <c>lr</c>); <see cref="Sgd.LearningRate"/> changes it later.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The momentum factor μ; 0 disables the momentum buffer.</summary>
    public double Momentum { get; init; }

    /// <summary>The dampening τ applied to the gradient when it enters the momentum buffer (not on the first step).</summary>
    public double Dampening { get; init; }

    /// <summary>Whether to use Nesterov momentum (requires momentum &gt; 0 and zero dampening).</summary>
    public bool Nesterov { get; init; }

    /// <summary>The L2 penalty added to the gradient as <c>weightDecay · parameter</c>.</summary>
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

        if (!(Momentum >= 0) || double.IsInfinity(Momentum))
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be finite and non-negative.");
        }

        if (double.IsNaN(Dampening) || double.IsInfinity(Dampening))
        {
            throw new ArgumentOutOfRangeException(nameof(Dampening), Dampening, "Dampening must be finite.");
        }

        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay must be finite and non-negative.");
        }

        if (Nesterov && (Momentum <= 0 || Dampening != 0))
        {
            throw new ArgumentException($"Nesterov momentum requires momentum > 0 and zero dampening; got momentum {Momentum}, dampening {Dampening}.", nameof(Nesterov));
        }
    }
}
