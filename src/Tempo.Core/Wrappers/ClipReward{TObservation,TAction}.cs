using Tempo.Core.Envs;

namespace Tempo.Core.Wrappers;

/// <summary>Clips every reward into <c>[min, max]</c>.</summary>
/// <remarks>
/// As Gymnasium's <c>ClipReward</c>; an infinite bound clips on one side only. Equal bounds are allowed
/// (every reward becomes that value). <see cref="StepResult.Episode"/> from wrappers below passes through
/// unchanged, so episode returns recorded beneath this wrapper stay unclipped.
/// </remarks>
public sealed class ClipReward<TObservation, TAction> : EnvWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>Wraps <paramref name="inner"/>, clipping rewards to [<paramref name="minReward"/>, <paramref name="maxReward"/>].</summary>
    public ClipReward(IEnv<TObservation, TAction> inner, float minReward, float maxReward)
        : base(inner)
    {
        if (float.IsNaN(minReward) || float.IsNaN(maxReward) || minReward > maxReward)
        {
            throw new ArgumentException($"Reward bounds must satisfy min <= max, got min={minReward}, max={maxReward}.", nameof(minReward));
        }

        MinReward = minReward;
        MaxReward = maxReward;
    }

    /// <summary>The smallest reward passed on.</summary>
    public float MinReward { get; }

    /// <summary>The largest reward passed on.</summary>
    public float MaxReward { get; }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation) => Clipped(Inner.Step(action, observation));

    /// <inheritdoc/>
    public override bool CanSplitStep => InnerCanSplitStep;

    /// <inheritdoc/>
    public override void Submit(ReadOnlySpan<TAction> action) => InnerSplitStepping.Submit(action);

    /// <inheritdoc/>
    public override StepResult Wait(Span<TObservation> observation) => Clipped(InnerSplitStepping.Wait(observation));

    private StepResult Clipped(StepResult result) => result with { Reward = Math.Clamp(result.Reward, MinReward, MaxReward) };
}
