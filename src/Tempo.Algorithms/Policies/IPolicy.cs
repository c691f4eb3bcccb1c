namespace Tempo.Algorithms.Policies;

/// <summary>Acting-only view of a policy: observations in, actions with their log-probabilities and values out.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// An actor owns its policy instance and loads snapshots into it; the learner's trainable model is a
/// different object. Implementations allocate nothing per call once sized for the largest batch.
/// </remarks>
public interface IPolicy<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>The version of the weights currently loaded.</summary>
    PolicyVersion Version { get; }

    /// <summary>Chooses actions for <paramref name="batch"/> observations.</summary>
    /// <param name="observations">Observations, <c>[batch, observationSize]</c>.</param>
    /// <param name="batch">How many observations.</param>
    /// <param name="selection">Sample from the policy (training) or take its most likely action (evaluation).</param>
    /// <param name="actions">Receives the actions, <c>[batch, actionSize]</c>.</param>
    /// <param name="logProbs">Receives log π(a | s), <c>[batch]</c>.</param>
    /// <param name="values">Receives V(s), <c>[batch]</c>.</param>
    void Act(ReadOnlySpan<TObservation> observations, int batch, ActionSelection selection, Span<TAction> actions, Span<float> logProbs, Span<float> values);

    /// <summary>Estimates V(s) for <paramref name="batch"/> observations (bootstrap values).</summary>
    void EstimateValues(ReadOnlySpan<TObservation> observations, int batch, Span<float> values);

    /// <summary>Replaces the weights with <paramref name="snapshot"/>'s; throws if its size does not match the network.</summary>
    void Load(PolicySnapshot snapshot);
}
