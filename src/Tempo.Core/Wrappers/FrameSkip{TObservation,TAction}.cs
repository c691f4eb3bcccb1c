using Tempo.Core.Envs;

namespace Tempo.Core.Wrappers;

/// <summary>Repeats each action for a fixed number of inner steps and sums their rewards (action repeat).</summary>
/// <remarks>
/// If the episode ends during the repeats, the wrapper stops at that step and returns its observation and
/// flags (and its <see cref="StepResult.Episode"/>, if any); the reward is the sum over the steps taken.
/// The observation is always the last inner step's; no max-pooling over frames is done.
/// </remarks>
public sealed class FrameSkip<TObservation, TAction> : EnvWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>Wraps <paramref name="inner"/> so that every action is applied <paramref name="skip"/> times.</summary>
    public FrameSkip(IEnv<TObservation, TAction> inner, int skip)
        : base(inner)
    {
        if (skip <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(skip), skip, $"Frame skip must be positive, got {skip}.");
        }

        Skip = skip;
    }

    /// <summary>How many inner steps one step takes (at most).</summary>
    public int Skip { get; }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation)
    {
        // Summed in float64 as Gymnasium sums Python floats; the caller sees float32.
        var totalReward = 0.0;
        StepResult result = default;
        for (var i = 0; i < Skip; i++)
        {
            result = Inner.Step(action, observation);
            totalReward += result.Reward;
            if (result.IsDone)
            {
                break;
            }
        }

        return result with { Reward = (float)totalReward };
    }
}
