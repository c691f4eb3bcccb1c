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
        ResetCore(observation, seed);
        _phase = EpisodePhase.Running;
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation)
    {
        RequireRunning();
        ContractErrors.RequireObservationLength(observation.Length, ObservationSpace);
        RequireValidAction(action);
        return EndStep(StepCore(action, observation));
    }

    /// <summary>Starts an episode: draw the initial state from <see cref="Random"/> and write the observation.</summary>
    protected abstract void ResetCore(Span<TObservation> observation);

    /// <summary>Reseeds <see cref="Random"/> when a seed is given, then starts an episode; an env whose world has its own random source overrides this to hand the seed on.</summary>
    /// <param name="observation">Receives the first observation.</param>
    /// <param name="seed">The seed passed to <see cref="Reset"/>.</param>
    protected virtual void ResetCore(Span<TObservation> observation, int? seed)
    {
        if (seed is { } s)
        {
            Random.Reseed(s);
        }

        ResetCore(observation);
    }

    /// <summary>Throws unless an episode is running (Reset was called and the episode has not ended); the first check of <see cref="Step"/>.</summary>
    private protected void RequireRunning()
    {
        if (_phase != EpisodePhase.Running)
        {
            ContractErrors.StepNotAllowed(_phase, _lastResult, this);
        }
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the env was disposed; for members besides Reset and Step.</summary>
    private protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_phase == EpisodePhase.Disposed, this);

    /// <summary>Throws unless <paramref name="action"/> has the action space's length and lies in it (continuous actions: is not NaN).</summary>
    private protected void RequireValidAction(ReadOnlySpan<TAction> action) =>
        ContractErrors.RequireValidAction(action, ActionSpace, _actionsAreClipped);

    /// <summary>Records that a step finished with <paramref name="result"/> (an ended episode refuses further steps); the last half of <see cref="Step"/>.</summary>
    private protected StepResult EndStep(StepResult result)
    {
        if (result.IsDone)
        {
            _phase = EpisodePhase.Ended;
            _lastResult = result;
        }

        return result;
    }

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
