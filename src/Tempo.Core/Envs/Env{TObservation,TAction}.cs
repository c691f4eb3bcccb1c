using Tempo.Core.Seeding;
using Tempo.Core.Spaces;

namespace Tempo.Core.Envs;

/// <summary>Base for concrete environments: enforces the contract so that each env only writes its dynamics.</summary>
/// <remarks>
/// Checks, in every build: buffer lengths; Step before the first Reset or after the episode ended;
/// actions outside a discrete action space. Continuous actions are only checked for NaN, because
/// Gymnasium's continuous envs clip out-of-range actions themselves.
/// </remarks>
public abstract class Env<TObservation, TAction> : IEnv<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly bool _actionsAreClipped;
    private EpisodePhase _phase = EpisodePhase.NeverReset;
    private StepResult _lastResult;

    /// <summary>Creates the env with its two spaces.</summary>
    protected Env(Space<TObservation> observationSpace, Space<TAction> actionSpace)
    {
        ObservationSpace = observationSpace ?? throw new ArgumentNullException(nameof(observationSpace));
        ActionSpace = actionSpace ?? throw new ArgumentNullException(nameof(actionSpace));
        _actionsAreClipped = actionSpace is BoxSpace<float>;
    }

    /// <inheritdoc/>
    public Space<TObservation> ObservationSpace { get; }

    /// <inheritdoc/>
    public Space<TAction> ActionSpace { get; }

    ISpace IEnv.ObservationSpace => ObservationSpace;

    ISpace IEnv.ActionSpace => ActionSpace;

    /// <summary>The env's random source; reseeded by <see cref="Reset"/> when a seed is given.</summary>
    protected RandomSource Random { get; } = new();

    /// <inheritdoc/>
    public void Reset(Span<TObservation> observation, int? seed = null)
    {
        ObjectDisposedException.ThrowIf(_phase == EpisodePhase.Disposed, this);
        ContractErrors.RequireObservationLength(observation.Length, ObservationSpace);
        if (seed is { } s)
        {
            Random.Reseed(s);
        }

        ResetCore(observation);
        _phase = EpisodePhase.Running;
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation)
    {
        if (_phase != EpisodePhase.Running)
        {
            ContractErrors.StepNotAllowed(_phase, _lastResult, this);
        }

        ContractErrors.RequireObservationLength(observation.Length, ObservationSpace);
        ContractErrors.RequireValidAction(action, ActionSpace, _actionsAreClipped);
        var result = StepCore(action, observation);
        if (result.IsDone)
        {
            _phase = EpisodePhase.Ended;
            _lastResult = result;
        }

        return result;
    }

    /// <summary>Starts an episode: draw the initial state from <see cref="Random"/> and write the observation.</summary>
    protected abstract void ResetCore(Span<TObservation> observation);

    /// <summary>Advances the dynamics by one validated action and writes the next observation.</summary>
    protected abstract StepResult StepCore(ReadOnlySpan<TAction> action, Span<TObservation> observation);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_phase == EpisodePhase.Disposed)
        {
            return;
        }

        _phase = EpisodePhase.Disposed;
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources (threads, windows, processes) the env holds.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
