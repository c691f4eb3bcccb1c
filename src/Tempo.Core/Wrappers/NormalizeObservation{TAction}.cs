using Tempo.Core.Envs;
using Tempo.Core.Spaces;
using Tempo.Core.Statistics;

namespace Tempo.Core.Wrappers;

/// <summary>Normalizes each observation element to zero mean and unit variance with running statistics.</summary>
/// <remarks>
/// As Gymnasium 0.29's <c>NormalizeObservation</c>: every observation (reset and step) first updates a
/// <see cref="RunningMeanStd"/>, then is mapped to <c>(x − mean) / sqrt(var + ε)</c> in float64 and stored as float32.
/// Turn <see cref="UpdateStatistics"/> off for evaluation. The observation space becomes unbounded
/// (same shape), since normalized values leave the inner bounds.
/// </remarks>
public sealed class NormalizeObservation<TAction> : EnvWrapper<float, TAction>
    where TAction : unmanaged
{
    /// <summary>Gymnasium's default ε added to the variance.</summary>
    public const double DefaultEpsilon = 1e-8;

    private readonly BoxSpace<float> _observationSpace;
    private readonly RunningMeanStd _statistics;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="epsilon"/> keeps the division stable.</summary>
    public NormalizeObservation(IEnv<float, TAction> inner, double epsilon = DefaultEpsilon)
        : base(inner)
    {
        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"Epsilon must be finite and non-negative, got {epsilon}.");
        }

        Epsilon = epsilon;
        _observationSpace = new BoxSpace<float>(float.NegativeInfinity, float.PositiveInfinity, [.. inner.ObservationSpace.Shape]);
        _statistics = new RunningMeanStd(_observationSpace.FlatSize);
    }

    /// <summary>The constant added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Whether observations update the running statistics (turn off for evaluation).</summary>
    public bool UpdateStatistics { get; set; } = true;

    /// <summary>The running statistics of the inner env's observations.</summary>
    public RunningMeanStd Statistics => _statistics;

    /// <inheritdoc/>
    public override Space<float> ObservationSpace => _observationSpace;

    /// <inheritdoc/>
    public override void Reset(Span<float> observation, int? seed = null)
    {
        Inner.Reset(observation, seed);
        Normalize(observation, UpdateStatistics);
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<float> observation) => Normalized(Inner.Step(action, observation), observation);

    /// <inheritdoc/>
    public override bool CanSplitStep => InnerCanSplitStep;

    /// <inheritdoc/>
    public override void Submit(ReadOnlySpan<TAction> action) => InnerSplitStepping.Submit(action);

    /// <inheritdoc/>
    public override StepResult Wait(Span<float> observation) => Normalized(InnerSplitStepping.Wait(observation), observation);

    private StepResult Normalized(StepResult result, Span<float> observation)
    {
        Normalize(observation, UpdateStatistics);
        return result;
    }

    /// <summary>Resumes the inner env and normalizes its fresh observation without adding it to the statistics.</summary>
    /// <remarks>The observation after a pause is the one the world stood at, already counted; counting it again would bias the statistics.</remarks>
    /// <inheritdoc/>
    public override void Resume(Span<float> observation)
    {
        InnerPausable.Resume(observation);
        Normalize(observation, update: false);
    }

    /// <summary>Captures the running statistics (for checkpoints).</summary>
    public RunningMeanStdState GetState() => _statistics.GetState();

    /// <summary>Restores running statistics captured by <see cref="GetState"/>.</summary>
    public void SetState(RunningMeanStdState state) => _statistics.SetState(state);

    private void Normalize(Span<float> observation, bool update)
    {
        if (update)
        {
            _statistics.Update<float>(observation);
        }

        var mean = _statistics.Mean;
        var variance = _statistics.Variance;
        for (var i = 0; i < observation.Length; i++)
        {
            observation[i] = (float)((observation[i] - mean[i]) / Math.Sqrt(variance[i] + Epsilon));
        }
    }
}
