using Tempo.Core.Envs;

namespace Tempo.Core.Wrappers.Progress;

/// <summary>Truncates an episode when the player's x moved less than a distance over a window of time (the seed user's 10 px over 4 s).</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// The window restarts whenever x has moved the distance from where the window began, so the check is against the
/// x at the window's start: a player pacing back and forth within the distance is stuck too.
/// </remarks>
public sealed class StagnationLimit<TObservation, TAction> : ProgressWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly float _distance;
    private readonly double _windowSeconds;
    private float _anchorX;
    private double _anchorSeconds;

    /// <summary>Wraps <paramref name="inner"/>: truncate when |Δx| stays below <paramref name="distance"/> for <paramref name="window"/>.</summary>
    public StagnationLimit(IEnv<TObservation, TAction> inner, IPositionSource positions, float distance, TimeSpan window, TimeProvider? timeProvider = null)
        : base(inner, positions, timeProvider)
    {
        if (!(distance > 0) || float.IsInfinity(distance))
        {
            throw new ArgumentOutOfRangeException(nameof(distance), distance, $"The stagnation distance must be positive and finite, got {distance}.");
        }

        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"The stagnation window must be positive, got {window}.");
        }

        Distance = distance;
        Window = window;
        _distance = distance;
        _windowSeconds = window.TotalSeconds;
    }

    /// <summary>The least movement in x that counts as progress.</summary>
    public float Distance { get; }

    /// <summary>How long the player may make no progress.</summary>
    public TimeSpan Window { get; }

    /// <inheritdoc/>
    protected override void OnReset()
    {
        _anchorX = Positions.X;
        _anchorSeconds = 0;
    }

    /// <inheritdoc/>
    protected override StepResult Judge(StepResult result)
    {
        var now = EpisodeSeconds;
        if (Math.Abs(Positions.X - _anchorX) >= _distance)
        {
            _anchorX = Positions.X;
            _anchorSeconds = now;
            return result;
        }

        return now - _anchorSeconds >= _windowSeconds ? result with { Truncated = true } : result;
    }
}
