using Tempo.Core.Envs;

namespace Tempo.Core.Wrappers.Progress;

/// <summary>Base for wrappers that judge each step by the player's position: they see every step's result (also split steps) and may change it.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// Episode time (<see cref="EpisodeSeconds"/>) runs on the given clock from the episode's first action, and stops while
/// the env is paused, so that neither a synchronous schedule's exact pause nor the time between the reset and the first
/// action (a sibling env in the same vector relaunching its game, say) counts against a time cap or a stagnation window.
/// </remarks>
public abstract class ProgressWrapper<TObservation, TAction> : EnvWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly TimeProvider _time;
    private long _episodeStart;
    private long _pausedAt;
    private bool _awaitsFirstAction;

    /// <summary>Wraps <paramref name="inner"/>, reading positions from <paramref name="positions"/>.</summary>
    /// <param name="inner">The env.</param>
    /// <param name="positions">The player's position (usually the game env under <paramref name="inner"/>).</param>
    /// <param name="timeProvider">The wall clock (default the system's).</param>
    protected ProgressWrapper(IEnv<TObservation, TAction> inner, IPositionSource positions, TimeProvider? timeProvider)
        : base(inner)
    {
        Positions = positions ?? throw new ArgumentNullException(nameof(positions));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The player's position.</summary>
    protected IPositionSource Positions { get; }

    /// <summary>Wall-clock seconds since the episode's first action, not counting time paused; 0 before it.</summary>
    protected double EpisodeSeconds => _awaitsFirstAction ? 0 : (double)(_time.GetTimestamp() - _episodeStart) / _time.TimestampFrequency;

    /// <inheritdoc/>
    public sealed override void Reset(Span<TObservation> observation, int? seed = null)
    {
        Inner.Reset(observation, seed);
        _awaitsFirstAction = true;
        OnReset();
    }

    /// <inheritdoc/>
    public sealed override StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation)
    {
        StartOnFirstAction();
        return Judge(Inner.Step(action, observation));
    }

    /// <inheritdoc/>
    public sealed override bool CanSplitStep => InnerCanSplitStep;

    /// <inheritdoc/>
    public sealed override void Submit(ReadOnlySpan<TAction> action)
    {
        StartOnFirstAction();
        InnerSplitStepping.Submit(action);
    }

    /// <inheritdoc/>
    public sealed override StepResult Wait(Span<TObservation> observation) => Judge(InnerSplitStepping.Wait(observation));

    /// <inheritdoc/>
    public sealed override void Pause()
    {
        InnerPausable.Pause();
        _pausedAt = _time.GetTimestamp();
    }

    /// <inheritdoc/>
    public sealed override void Resume(Span<TObservation> observation)
    {
        InnerPausable.Resume(observation);
        _episodeStart += _time.GetTimestamp() - _pausedAt;
    }

    private void StartOnFirstAction()
    {
        if (_awaitsFirstAction)
        {
            _episodeStart = _time.GetTimestamp();
            _awaitsFirstAction = false;
        }
    }

    /// <summary>Called after each reset, with <see cref="Positions"/> at the episode's start.</summary>
    protected abstract void OnReset();

    /// <summary>Judges one step from the position after it; returns the (possibly changed) result.</summary>
    /// <param name="result">The inner env's result.</param>
    protected abstract StepResult Judge(StepResult result);
}
