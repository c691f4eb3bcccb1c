using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Wrappers;

/// <summary>Clips every element of every observation into <c>[min, max]</c> (CleanRL clips normalized observations to ±10).</summary>
/// <remarks>Applies to reset, step and resume observations; the observation space becomes the inner box intersected with the bounds.</remarks>
public sealed class ClipObservation<TAction> : EnvWrapper<float, TAction>
    where TAction : unmanaged
{
    private readonly BoxSpace<float> _space;

    /// <summary>Wraps <paramref name="inner"/>, whose observation space must be a box, clipping to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public ClipObservation(IEnv<float, TAction> inner, float min, float max)
        : base(inner)
    {
        if (float.IsNaN(min) || float.IsNaN(max) || min > max)
        {
            throw new ArgumentException($"Observation bounds must satisfy min <= max, got min={min}, max={max}.", nameof(min));
        }

        if (inner.ObservationSpace is not BoxSpace<float> box)
        {
            throw new ArgumentException($"ClipObservation needs a Box observation space; got {inner.ObservationSpace}.", nameof(inner));
        }

        Min = min;
        Max = max;
        var low = new float[box.FlatSize];
        var high = new float[box.FlatSize];
        for (var i = 0; i < low.Length; i++)
        {
            low[i] = Math.Clamp(box.Low[i], min, max);
            high[i] = Math.Clamp(box.High[i], min, max);
        }

        _space = new BoxSpace<float>(low, high, [.. box.Shape]);
    }

    /// <summary>The lower bound of every element.</summary>
    public float Min { get; }

    /// <summary>The upper bound of every element.</summary>
    public float Max { get; }

    /// <inheritdoc/>
    public override Space<float> ObservationSpace => _space;

    /// <inheritdoc/>
    public override void Reset(Span<float> observation, int? seed = null)
    {
        Inner.Reset(observation, seed);
        Clip(observation);
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<float> observation) => Clipped(Inner.Step(action, observation), observation);

    /// <inheritdoc/>
    public override bool CanSplitStep => InnerCanSplitStep;

    /// <inheritdoc/>
    public override void Submit(ReadOnlySpan<TAction> action) => InnerSplitStepping.Submit(action);

    /// <inheritdoc/>
    public override StepResult Wait(Span<float> observation) => Clipped(InnerSplitStepping.Wait(observation), observation);

    private StepResult Clipped(StepResult result, Span<float> observation)
    {
        Clip(observation);
        return result;
    }

    /// <inheritdoc/>
    public override void Resume(Span<float> observation)
    {
        base.Resume(observation);
        Clip(observation);
    }

    private void Clip(Span<float> observation)
    {
        for (var i = 0; i < observation.Length; i++)
        {
            observation[i] = Math.Clamp(observation[i], Min, Max);
        }
    }
}
