using Tempo.Core.Envs;

namespace Tempo.Core.Wrappers.Progress;

/// <summary>Adds a bonus each time the player's x first passes another multiple of a distance past its start (the seed user's 500 px).</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>Only new progress pays: walking back and forth over a milestone pays it once per episode.</remarks>
public sealed class MilestoneReward<TObservation, TAction> : ProgressWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private float _startX;
    private int _reached;

    /// <summary>Wraps <paramref name="inner"/>: <paramref name="bonus"/> for every <paramref name="spacing"/> of new progress in x.</summary>
    public MilestoneReward(IEnv<TObservation, TAction> inner, IPositionSource positions, float spacing, float bonus)
        : base(inner, positions, timeProvider: null)
    {
        if (!(spacing > 0) || float.IsInfinity(spacing))
        {
            throw new ArgumentOutOfRangeException(nameof(spacing), spacing, $"The milestone spacing must be positive and finite, got {spacing}.");
        }

        if (!float.IsFinite(bonus))
        {
            throw new ArgumentOutOfRangeException(nameof(bonus), bonus, "The milestone bonus must be finite.");
        }

        Spacing = spacing;
        Bonus = bonus;
    }

    /// <summary>The x distance between milestones.</summary>
    public float Spacing { get; }

    /// <summary>The reward per milestone.</summary>
    public float Bonus { get; }

    /// <summary>Milestones reached in this episode.</summary>
    public int Reached => _reached;

    /// <inheritdoc/>
    protected override void OnReset()
    {
        _startX = Positions.X;
        _reached = 0;
    }

    /// <inheritdoc/>
    protected override StepResult Judge(StepResult result)
    {
        var milestones = (int)Math.Floor((Positions.X - _startX) / Spacing);
        if (milestones <= _reached)
        {
            return result;
        }

        var bonus = (milestones - _reached) * Bonus;
        _reached = milestones;
        return result with { Reward = result.Reward + bonus };
    }
}
