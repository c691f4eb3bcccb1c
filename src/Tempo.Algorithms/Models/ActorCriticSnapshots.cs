using System.Buffers;
using Tempo.Algorithms.Policies;

namespace Tempo.Algorithms.Models;

/// <summary>Turns a model's current weights into the immutable snapshot actors load.</summary>
public static class ActorCriticSnapshots
{
    /// <summary>Copies <paramref name="model"/>'s weights, tagged with its version.</summary>
    /// <remarks>The snapshot makes its own copy, so the weights pass through pooled scratch rather than a second new array (a CNN's is megabytes, on the large-object heap).</remarks>
    public static PolicySnapshot TakeSnapshot<TObservation, TAction>(this IActorCritic<TObservation, TAction> model)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(model);
        var count = model.WeightCount;
        var scratch = ArrayPool<float>.Shared.Rent(count);
        try
        {
            var weights = scratch.AsSpan(0, count);
            model.CopyWeightsTo(weights);
            return new PolicySnapshot(model.Version, weights);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Overwrites <paramref name="target"/> with <paramref name="model"/>'s weights and version, allocating nothing.</summary>
    public static void CopySnapshotTo<TObservation, TAction>(this IActorCritic<TObservation, TAction> model, PolicySnapshot target)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(target);
        if (target.WeightCount != model.WeightCount)
        {
            throw new ArgumentException($"The model has {model.WeightCount} weights; the snapshot holds {target.WeightCount}.", nameof(target));
        }

        model.CopyWeightsTo(target.Weights);
        target.Version = model.Version;
    }
}
