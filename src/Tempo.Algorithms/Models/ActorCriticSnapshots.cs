using Tempo.Algorithms.Policies;

namespace Tempo.Algorithms.Models;

/// <summary>Turns a model's current weights into the immutable snapshot actors load.</summary>
public static class ActorCriticSnapshots
{
    /// <summary>Copies <paramref name="model"/>'s weights, tagged with its version.</summary>
    public static PolicySnapshot TakeSnapshot<TObservation, TAction>(this IActorCritic<TObservation, TAction> model)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = new float[model.WeightCount];
        model.CopyWeightsTo(weights);
        return new PolicySnapshot(model.Version, weights);
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
