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
}
