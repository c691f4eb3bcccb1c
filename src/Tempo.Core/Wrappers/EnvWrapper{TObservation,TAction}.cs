using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Wrappers;

/// <summary>Base for wrappers: forwards everything to the inner env; a wrapper overrides the one thing it changes.</summary>
/// <remarks>
/// Split stepping (<see cref="ISplitStepping{TObservation, TAction}"/>) is off by default, because a wrapper that
/// overrides Step would be bypassed by a forwarded Submit/Wait; a wrapper whose work is a pure transform before or
/// after the step opts in by overriding <see cref="CanSplitStep"/>, <see cref="Submit"/> and <see cref="Wait"/>.
/// </remarks>
public abstract class EnvWrapper<TObservation, TAction> : IEnv<TObservation, TAction>, IEnvWrapper, IPausable<TObservation>, ISplitStepping<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private bool _disposed;

    /// <summary>Wraps <paramref name="inner"/>; the wrapper owns it and disposes it.</summary>
    protected EnvWrapper(IEnv<TObservation, TAction> inner) => Inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The wrapped environment.</summary>
    public IEnv<TObservation, TAction> Inner { get; }

    IEnv IEnvWrapper.Inner => Inner;

    /// <inheritdoc/>
    public virtual Space<TObservation> ObservationSpace => Inner.ObservationSpace;

    /// <inheritdoc/>
    public virtual Space<TAction> ActionSpace => Inner.ActionSpace;

    ISpace IEnv.ObservationSpace => ObservationSpace;

    ISpace IEnv.ActionSpace => ActionSpace;

    /// <inheritdoc/>
    public virtual void Reset(Span<TObservation> observation, int? seed = null) => Inner.Reset(observation, seed);

    /// <inheritdoc/>
    public virtual StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation) => Inner.Step(action, observation);

    /// <inheritdoc/>
    public virtual bool CanPause => Inner is IPausable<TObservation> { CanPause: true };

    /// <inheritdoc/>
    public virtual bool IsPaused => Inner is IPausable<TObservation> { IsPaused: true };

    /// <inheritdoc/>
    public virtual void Pause() => InnerPausable.Pause();

    /// <summary>Resumes the inner env; a wrapper that transforms observations overrides this to transform the fresh one too.</summary>
    public virtual void Resume(Span<TObservation> observation) => InnerPausable.Resume(observation);

    /// <summary>The inner env as a pausable env; throws <see cref="NotSupportedException"/> naming the env when it cannot pause.</summary>
    protected IPausable<TObservation> InnerPausable =>
        Inner is IPausable<TObservation> { CanPause: true } pausable
            ? pausable
            : throw new NotSupportedException($"{Inner} cannot pause; check CanPause before calling Pause or Resume.");

    /// <summary>False unless the wrapper opts in (and then: whether the inner env can split its step).</summary>
    public virtual bool CanSplitStep => false;

    /// <summary>Throws <see cref="NotSupportedException"/> unless the wrapper opts in to split stepping.</summary>
    /// <inheritdoc/>
    public virtual void Submit(ReadOnlySpan<TAction> action) => throw CannotSplitStep();

    /// <summary>Throws <see cref="NotSupportedException"/> unless the wrapper opts in to split stepping.</summary>
    /// <inheritdoc/>
    public virtual StepResult Wait(Span<TObservation> observation) => throw CannotSplitStep();

    /// <summary>Whether the inner env can split its step; what an opting-in wrapper's <see cref="CanSplitStep"/> returns.</summary>
    protected bool InnerCanSplitStep => Inner is ISplitStepping<TObservation, TAction> { CanSplitStep: true };

    /// <summary>The inner env as a split-stepping env; throws <see cref="NotSupportedException"/> naming the env when it cannot split its step.</summary>
    protected ISplitStepping<TObservation, TAction> InnerSplitStepping =>
        Inner is ISplitStepping<TObservation, TAction> { CanSplitStep: true } splitting
            ? splitting
            : throw new NotSupportedException($"{Inner} cannot split its step; check CanSplitStep before calling Submit or Wait.");

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name.Split('`')[0]}<{Inner}>";

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    private NotSupportedException CannotSplitStep() => new($"{this} cannot split its step; check CanSplitStep before calling Submit or Wait.");

    /// <summary>Disposes the inner env; a wrapper holding resources of its own overrides this and calls base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }
    }
}
