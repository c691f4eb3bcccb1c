using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Wrappers;

/// <summary>Accepts continuous actions in <c>[min, max]</c> and maps them affinely onto the inner env's action box.</summary>
/// <remarks>
/// As Gymnasium 0.29's <c>RescaleAction</c>: <c>a' = low + (high − low)·(a − min)/(max − min)</c>, then clipped to
/// <c>[low, high]</c>, in float32 as NumPy does for float32 boxes. Actions outside <c>[min, max]</c> are rejected (Gymnasium asserts).
/// The inner box must be bounded in every dimension.
/// </remarks>
public sealed class RescaleAction<TObservation> : EnvWrapper<TObservation, float>
    where TObservation : unmanaged
{
    private readonly BoxSpace<float> _innerActionSpace;
    private readonly BoxSpace<float> _actionSpace;
    private readonly float[] _rescaled;

    /// <summary>Wraps <paramref name="inner"/> so that every action dimension ranges over [<paramref name="minAction"/>, <paramref name="maxAction"/>].</summary>
    public RescaleAction(IEnv<TObservation, float> inner, float minAction, float maxAction)
        : this(inner, Repeat(inner, minAction), Repeat(inner, maxAction))
    {
    }

    /// <summary>Wraps <paramref name="inner"/> with per-dimension ranges; both spans have the action's flat size.</summary>
    public RescaleAction(IEnv<TObservation, float> inner, ReadOnlySpan<float> minAction, ReadOnlySpan<float> maxAction)
        : base(inner)
    {
        _innerActionSpace = RequireBox(inner);
        if (!_innerActionSpace.IsBounded)
        {
            throw new ArgumentException($"Rescaling actions needs a bounded action space, got {_innerActionSpace}.", nameof(inner));
        }

        var size = _innerActionSpace.FlatSize;
        if (minAction.Length != size || maxAction.Length != size)
        {
            throw new ArgumentException(
                $"minAction and maxAction need {size} values each (the action space {_innerActionSpace}), got {minAction.Length} and {maxAction.Length}.");
        }

        for (var i = 0; i < size; i++)
        {
            if (!float.IsFinite(minAction[i]) || !float.IsFinite(maxAction[i]) || !(minAction[i] < maxAction[i]))
            {
                throw new ArgumentException(
                    $"The rescaled range must be finite with min < max; dimension {i} has min={minAction[i]}, max={maxAction[i]}.", nameof(minAction));
            }
        }

        _actionSpace = new BoxSpace<float>(minAction, maxAction, [.. _innerActionSpace.Shape]);
        _rescaled = new float[size];
    }

    /// <inheritdoc/>
    public override Space<float> ActionSpace => _actionSpace;

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<float> action, Span<TObservation> observation) => Inner.Step(Rescaled(action), observation);

    /// <inheritdoc/>
    public override bool CanSplitStep => InnerCanSplitStep;

    /// <inheritdoc/>
    public override void Submit(ReadOnlySpan<float> action) => InnerSplitStepping.Submit(Rescaled(action));

    /// <inheritdoc/>
    public override StepResult Wait(Span<TObservation> observation) => InnerSplitStepping.Wait(observation);

    private float[] Rescaled(ReadOnlySpan<float> action)
    {
        ContractErrors.RequireValidAction(action, _actionSpace, clippedByEnv: false);
        var min = _actionSpace.Low;
        var max = _actionSpace.High;
        var low = _innerActionSpace.Low;
        var high = _innerActionSpace.High;
        for (var i = 0; i < _rescaled.Length; i++)
        {
            // float32 in NumPy's order of operations, so results match Gymnasium bit for bit.
            var scaled = low[i] + ((high[i] - low[i]) * ((action[i] - min[i]) / (max[i] - min[i])));
            _rescaled[i] = Math.Clamp(scaled, low[i], high[i]);
        }

        return _rescaled;
    }

    private static BoxSpace<float> RequireBox(IEnv<TObservation, float> inner) =>
        (inner ?? throw new ArgumentNullException(nameof(inner))).ActionSpace as BoxSpace<float>
        ?? throw new ArgumentException($"Rescaling actions needs a float box action space, got {inner.ActionSpace}.", nameof(inner));

    private static float[] Repeat(IEnv<TObservation, float> inner, float value)
    {
        var values = new float[RequireBox(inner).FlatSize];
        Array.Fill(values, value);
        return values;
    }
}
