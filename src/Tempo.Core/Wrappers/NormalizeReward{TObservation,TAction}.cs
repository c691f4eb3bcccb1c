using Tempo.Core.Envs;
using Tempo.Core.Statistics;

namespace Tempo.Core.Wrappers;

/// <summary>Scales rewards by the running standard deviation of the discounted return.</summary>
/// <remarks>
/// As Gymnasium 0.29's <c>NormalizeReward</c>, after each step:
/// <c>G ← G·γ·(1 − terminated) + r</c>; the running statistics of <c>G</c> are updated; the reward becomes
/// <c>r / sqrt(var(G) + ε)</c> (not centred). Like Gymnasium 0.29, <c>G</c> restarts only through a terminated
/// step (truncation and reset do not clear it), and the terminal step's own reward starts the next sum.
/// With <see cref="UpdateStatistics"/> off, <c>G</c> still accumulates but the statistics stay fixed.
/// Computed in float64. Place it above <c>RecordEpisodeStatistics</c> so recorded returns stay raw.
/// </remarks>
public sealed class NormalizeReward<TObservation, TAction> : EnvWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>Gymnasium's default discount factor.</summary>
    public const double DefaultGamma = 0.99;

    /// <summary>Gymnasium's default ε added to the variance.</summary>
    public const double DefaultEpsilon = 1e-8;

    private readonly RunningMeanStd _statistics = new(dimension: 1);
    private double _discountedReturn;

    /// <summary>Wraps <paramref name="inner"/> with discount <paramref name="gamma"/> and stability constant <paramref name="epsilon"/>.</summary>
    public NormalizeReward(IEnv<TObservation, TAction> inner, double gamma = DefaultGamma, double epsilon = DefaultEpsilon)
        : base(inner)
    {
        if (!(gamma >= 0 && gamma <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, $"The discount factor must lie in [0, 1], got {gamma}.");
        }

        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"Epsilon must be finite and non-negative, got {epsilon}.");
        }

        Gamma = gamma;
        Epsilon = epsilon;
    }

    /// <summary>The discount factor of the return whose spread scales the rewards.</summary>
    public double Gamma { get; }

    /// <summary>The constant added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Whether steps update the return statistics (turn off for evaluation).</summary>
    public bool UpdateStatistics { get; set; } = true;

    /// <summary>The running statistics of the discounted return.</summary>
    public RunningMeanStd Statistics => _statistics;

    /// <summary>The discounted return accumulated so far.</summary>
    public double DiscountedReturn => _discountedReturn;

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation) => Scaled(Inner.Step(action, observation));

    /// <inheritdoc/>
    public override bool CanSplitStep => InnerCanSplitStep;

    /// <inheritdoc/>
    public override void Submit(ReadOnlySpan<TAction> action) => InnerSplitStepping.Submit(action);

    /// <inheritdoc/>
    public override StepResult Wait(Span<TObservation> observation) => Scaled(InnerSplitStepping.Wait(observation));

    private StepResult Scaled(StepResult result)
    {
        _discountedReturn = (_discountedReturn * Gamma * (result.Terminated ? 0.0 : 1.0)) + result.Reward;
        if (UpdateStatistics)
        {
            _statistics.Update(new ReadOnlySpan<double>(in _discountedReturn));
        }

        var scaled = result.Reward / Math.Sqrt(_statistics.Variance[0] + Epsilon);
        return result with { Reward = (float)scaled };
    }

    /// <summary>Captures the statistics and the accumulator (for checkpoints).</summary>
    public NormalizeRewardState GetState() => new(_statistics.GetState(), _discountedReturn);

    /// <summary>Restores a snapshot captured by <see cref="GetState"/>.</summary>
    public void SetState(NormalizeRewardState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!double.IsFinite(state.DiscountedReturn))
        {
            throw new ArgumentException($"The discounted return must be finite, got {state.DiscountedReturn}.", nameof(state));
        }

        _statistics.SetState(state.ReturnStatistics);
        _discountedReturn = state.DiscountedReturn;
    }
}
