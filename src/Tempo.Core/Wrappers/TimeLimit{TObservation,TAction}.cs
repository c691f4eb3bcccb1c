using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tempo.Core.Envs;

namespace Tempo.Core.Wrappers;

/// <summary>Truncates episodes after a fixed number of steps.</summary>
/// <remarks>
/// As in Gymnasium, the step that reaches the limit reports <c>Truncated = true</c> even if it also
/// terminated; the learner must still treat a terminated step as terminal. Stepping again after the
/// limit without a reset throws, as stepping an ended episode does.
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
        if (maxEpisodeSteps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, $"The maximum episode length must be positive, got {maxEpisodeSteps}.");
        }

        MaxEpisodeSteps = maxEpisodeSteps;
    }

    /// <summary>The number of steps after which an episode is truncated.</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _elapsedSteps;

    /// <inheritdoc/>
    public override void Reset(Span<TObservation> observation, int? seed = null)
    {
        Inner.Reset(observation, seed);
        _elapsedSteps = 0;
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation)
    {
        RequireNotTruncated();
        return Count(Inner.Step(action, observation));
    }

    /// <inheritdoc/>
    public override bool CanSplitStep => InnerCanSplitStep;

    /// <inheritdoc/>
    public override void Submit(ReadOnlySpan<TAction> action)
    {
        RequireNotTruncated();
        InnerSplitStepping.Submit(action);
    }

    /// <inheritdoc/>
    public override StepResult Wait(Span<TObservation> observation) => Count(InnerSplitStepping.Wait(observation));

    private void RequireNotTruncated()
    {
        if (_elapsedSteps >= MaxEpisodeSteps)
        {
            ThrowTruncated();
        }
    }

    private StepResult Count(StepResult result)
    {
        _elapsedSteps++;
        return _elapsedSteps >= MaxEpisodeSteps ? result with { Truncated = true } : result;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTruncated() =>
        throw new InvalidOperationException(
            $"{nameof(TimeLimit<,>)}: Step called after the episode was truncated at {MaxEpisodeSteps} steps; call Reset first.");
}
