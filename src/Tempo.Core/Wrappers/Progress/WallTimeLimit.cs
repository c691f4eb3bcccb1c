using Tempo.Core.Envs;

namespace Tempo.Core.Wrappers.Progress;

/// <summary>Truncates an episode once it has run for a wall-clock time (the seed user's 120 s cap), not counting time paused.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>A live game's episodes are measured in seconds, not steps: the step rate varies with the machine's load.</remarks>
public sealed class WallTimeLimit<TObservation, TAction> : ProgressWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly double _limitSeconds;

    /// <summary>Wraps <paramref name="inner"/> so that episodes last at most <paramref name="limit"/>.</summary>
    public WallTimeLimit(IEnv<TObservation, TAction> inner, IPositionSource positions, TimeSpan limit, TimeProvider? timeProvider = null)
        : base(inner, positions, timeProvider)
    {
        if (limit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"The episode time limit must be positive, got {limit}.");
        }

        Limit = limit;
        _limitSeconds = limit.TotalSeconds;
    }

    /// <summary>The longest episode.</summary>
    public TimeSpan Limit { get; }

    /// <inheritdoc/>
    protected override void OnReset()
    {
    }

    /// <inheritdoc/>
    protected override StepResult Judge(StepResult result) =>
        EpisodeSeconds >= _limitSeconds ? result with { Truncated = true } : result;
}
