using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Wrappers;

/// <summary>Clips continuous actions into the inner env's action box before passing them on.</summary>
/// <remarks>
/// As Gymnasium 0.29's <c>ClipAction</c>, the wrapper's action space is unbounded (same shape), so any finite
/// action is accepted; NaN is still rejected. The caller's action is copied, never modified.
/// </remarks>
public sealed class ClipAction<TObservation> : EnvWrapper<TObservation, float>
    where TObservation : unmanaged
{
    private readonly BoxSpace<float> _innerActionSpace;
    private readonly BoxSpace<float> _actionSpace;
    private readonly float[] _clipped;

    /// <summary>Wraps <paramref name="inner"/>, whose action space must be a float box.</summary>
    public ClipAction(IEnv<TObservation, float> inner)
        : base(inner)
    {
        _innerActionSpace = inner.ActionSpace as BoxSpace<float>
            ?? throw new ArgumentException($"Clipping actions needs a float box action space, got {inner.ActionSpace}.", nameof(inner));
        _actionSpace = new BoxSpace<float>(float.NegativeInfinity, float.PositiveInfinity, [.. _innerActionSpace.Shape]);
        _clipped = new float[_innerActionSpace.FlatSize];
    }

    /// <inheritdoc/>
    public override Space<float> ActionSpace => _actionSpace;

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<float> action, Span<TObservation> observation) => Inner.Step(Clipped(action), observation);

    /// <inheritdoc/>
    public override bool CanSplitStep => InnerCanSplitStep;

    /// <inheritdoc/>
    public override void Submit(ReadOnlySpan<float> action) => InnerSplitStepping.Submit(Clipped(action));

    /// <inheritdoc/>
    public override StepResult Wait(Span<TObservation> observation) => InnerSplitStepping.Wait(observation);

    private float[] Clipped(ReadOnlySpan<float> action)
    {
        ContractErrors.RequireValidAction(action, _actionSpace, clippedByEnv: true);
        action.CopyTo(_clipped);
        _innerActionSpace.Clip(_clipped);
        return _clipped;
    }
}
