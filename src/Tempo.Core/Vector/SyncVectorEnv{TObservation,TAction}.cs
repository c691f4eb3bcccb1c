using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Vector;

/// <summary>A vector env that steps its envs one after another on the calling thread.</summary>
/// <remarks>
/// The right choice for fast envs (classic control), where handing work to other threads costs more than the step,
/// and for live envs: when every env can split its step (<see cref="ISplitStepping{TObservation, TAction}"/>), Step
/// submits every action first and then waits for every result (Gymnasium's <c>step_async</c>/<c>step_wait</c>), so
/// each live world gets its action within one period whatever the count. Results and autoreset are the same as
/// stepping the envs one after the other.
/// </remarks>
public sealed class SyncVectorEnv<TObservation, TAction> : IVectorEnv<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly EnvBatch<TObservation, TAction> _batch;

    /// <summary>Creates a vector over <paramref name="envs"/>, which must all have the same spaces; the vector takes ownership of them.</summary>
    public SyncVectorEnv(IReadOnlyList<IEnv<TObservation, TAction>> envs) => _batch = new(envs, this, nameof(envs));

    /// <inheritdoc/>
    public int NumEnvs => _batch.Count;

    /// <inheritdoc/>
    public Space<TObservation> SingleObservationSpace => _batch.ObservationSpace;

    /// <inheritdoc/>
    public Space<TAction> SingleActionSpace => _batch.ActionSpace;

    /// <inheritdoc/>
    public VectorStepBuffers<TObservation> CreateBuffers() => _batch.CreateBuffers();

    /// <inheritdoc/>
    public void Reset(VectorStepBuffers<TObservation> buffers, int? seed = null)
    {
        _batch.BeginReset(buffers, seed);
        _batch.ResetRange(0, _batch.Count, buffers, seed);
        _batch.Complete();
    }

    /// <inheritdoc/>
    public void Step(ReadOnlySpan<TAction> actions, VectorStepBuffers<TObservation> buffers)
    {
        _batch.BeginStep(actions.Length, buffers);
        if (_batch.CanSplitStep)
        {
            _batch.SubmitRange(0, _batch.Count, actions);
            _batch.WaitRange(0, _batch.Count, buffers);
        }
        else
        {
            _batch.StepRange(0, _batch.Count, actions, buffers);
        }

        _batch.Complete();
    }

    /// <summary>Whether Step submits every action before waiting for any result (every env can split its step).</summary>
    public bool SplitsSteps => _batch.CanSplitStep;

    /// <inheritdoc/>
    public bool CanPause => _batch.CanPause;

    /// <inheritdoc/>
    public void Pause() => _batch.Pause();

    /// <inheritdoc/>
    public void Resume(VectorStepBuffers<TObservation> buffers) => _batch.Resume(buffers);

    /// <inheritdoc/>
    public override string ToString() => $"SyncVectorEnv({NumEnvs} × {SingleObservationSpace} → {SingleActionSpace})";

    /// <inheritdoc/>
    public void Dispose() => _batch.Dispose();
}
