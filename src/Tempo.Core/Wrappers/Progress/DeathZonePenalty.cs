using Tempo.Core.Envs;

namespace Tempo.Core.Wrappers.Progress;

/// <summary>Adds an extra penalty when the player dies (a terminal step short of the goal) within a radius of an earlier death's x (the seed user's 150 px): the same pit again costs more.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// Deaths are remembered across episodes (that is the point), at the x of the last step before the terminal one: a
/// death that teleports the player to the spawn reports the spawn's x on the terminal step. Wear it outside
/// <see cref="TeleportDeath{TObservation, TAction}"/> so that teleport deaths are terminal here.
/// </remarks>
public sealed class DeathZonePenalty<TObservation, TAction> : ProgressWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly List<float> _deaths = [];
    private float _lastX;

    /// <summary>Wraps <paramref name="inner"/>: <paramref name="penalty"/> is added to a death within <paramref name="radius"/> of an earlier one.</summary>
    public DeathZonePenalty(IEnv<TObservation, TAction> inner, IPositionSource positions, float radius, float penalty)
        : base(inner, positions, timeProvider: null)
    {
        if (!(radius > 0) || float.IsInfinity(radius))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, $"The death-zone radius must be positive and finite, got {radius}.");
        }

        if (!float.IsFinite(penalty))
        {
            throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "The death-zone penalty must be finite.");
        }

        Radius = radius;
        Penalty = penalty;
    }

    /// <summary>How close to an earlier death a death must be to cost the extra penalty.</summary>
    public float Radius { get; }

    /// <summary>The extra reward (usually negative) of a repeated death.</summary>
    public float Penalty { get; }

    /// <summary>The x of every death seen, oldest first.</summary>
    public IReadOnlyList<float> Deaths => _deaths;

    /// <inheritdoc/>
    protected override void OnReset() => _lastX = Positions.X;

    /// <inheritdoc/>
    protected override StepResult Judge(StepResult result)
    {
        var x = result.Terminated ? _lastX : Positions.X;
        _lastX = Positions.X;
        if (!result.Terminated || Positions.ReachedGoal)
        {
            return result;
        }

        var repeated = false;
        foreach (var earlier in _deaths)
        {
            repeated |= Math.Abs(earlier - x) <= Radius;
        }

        _deaths.Add(x);
        return repeated ? result with { Reward = result.Reward + Penalty } : result;
    }
}
