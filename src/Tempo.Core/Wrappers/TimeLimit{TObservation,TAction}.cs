using Tempo.Core.Envs;

namespace Tempo.Core.Wrappers;

/// <summary>Truncates episodes after a fixed number of steps.</summary>
/// <remarks>
/// As in Gymnasium, the step that reaches the limit reports <c>Truncated = true</c> even if it also
/// terminated; the learner must still treat a terminated step as terminal.
/// </remarks>
public sealed class TimeLimit<TObservation, TAction> : EnvWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private int _elapsedSteps;

    /// <summary>Wraps <paramref name="inner"/> so that episodes last at most <paramref name="maxEpisodeSteps"/> steps.</summary>
    public TimeLimit(IEnv<TObservation, TAction> inner, int maxEpisodeSteps)
        : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEpisodeSteps);
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    /// <summary>The number of steps after which an episode is truncated.</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _elapsedSteps;

    /// <inheritdoc/>
    public override void Reset(Span<TObservation> observation, int? seed = null)
    {
        _elapsedSteps = 0;
        Inner.Reset(observation, seed);
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation)
    {
        var result = Inner.Step(action, observation);
        _elapsedSteps++;
        return _elapsedSteps >= MaxEpisodeSteps ? result with { Truncated = true } : result;
    }
}
