using Tempo.Core.Envs;

namespace Tempo.Core.Wrappers.Progress;

/// <summary>Ends an episode as terminal when x jumps back in one step (a game that respawns the player at the start on death), with a penalty.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// A drop counts as a teleport when x falls by more than <see cref="FractionDrop"/> of its value or by more than
/// <see cref="PixelDrop"/> in one step (the seed user's 50 % and 200 px): walking back never covers that much in one step.
/// A game that respawns near x = 0 wants both; one whose spawn is a few steps from 0 (SuperTux's, at 96) turns the
/// fraction rule off (null), as walking left there loses half of x in a step.
/// </remarks>
public sealed class TeleportDeath<TObservation, TAction> : ProgressWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private float _lastX;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The env.</param>
    /// <param name="positions">The player's position.</param>
    /// <param name="penalty">Added to the reward of the step that died (usually negative).</param>
    /// <param name="fractionDrop">The fraction of x that, lost in one step, is a teleport (0.5); null turns the fraction rule off.</param>
    /// <param name="pixelDrop">The x distance that, lost in one step, is a teleport (200).</param>
    public TeleportDeath(IEnv<TObservation, TAction> inner, IPositionSource positions, float penalty, float? fractionDrop = 0.5f, float pixelDrop = 200)
        : base(inner, positions, timeProvider: null)
    {
        if (fractionDrop is { } fraction && !(fraction > 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fractionDrop), fractionDrop, $"The teleport fraction must lie in (0, 1], got {fractionDrop}.");
        }

        if (!(pixelDrop > 0) || float.IsInfinity(pixelDrop))
        {
            throw new ArgumentOutOfRangeException(nameof(pixelDrop), pixelDrop, $"The teleport distance must be positive and finite, got {pixelDrop}.");
        }

        if (!float.IsFinite(penalty))
        {
            throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "The death penalty must be finite.");
        }

        Penalty = penalty;
        FractionDrop = fractionDrop;
        PixelDrop = pixelDrop;
    }

    /// <summary>Added to the reward of the step that died.</summary>
    public float Penalty { get; }

    /// <summary>The fraction of x that, lost in one step, is a teleport; null when only <see cref="PixelDrop"/> counts.</summary>
    public float? FractionDrop { get; }

    /// <summary>The x distance that, lost in one step, is a teleport.</summary>
    public float PixelDrop { get; }

    /// <inheritdoc/>
    protected override void OnReset() => _lastX = Positions.X;

    /// <inheritdoc/>
    protected override StepResult Judge(StepResult result)
    {
        var x = Positions.X;
        var drop = _lastX - x;
        _lastX = x;
        if (result.Terminated || Positions.ReachedGoal || drop <= 0 || (drop <= PixelDrop && (FractionDrop is not { } fraction || drop <= fraction * Math.Abs(x + drop))))
        {
            return result;
        }

        return result with { Reward = result.Reward + Penalty, Terminated = true };
    }
}
