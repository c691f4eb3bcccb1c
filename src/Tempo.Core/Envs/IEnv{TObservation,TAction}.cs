using Tempo.Core.Spaces;

namespace Tempo.Core.Envs;

/// <summary>One environment with Gymnasium 0.29 semantics, writing observations into caller-owned buffers.</summary>
/// <typeparam name="TObservation">Observation element: <see cref="float"/> for vectors, <see cref="byte"/> for frames.</typeparam>
/// <typeparam name="TAction">Action element: <see cref="int"/> for discrete choices, <see cref="float"/> for continuous ones.</typeparam>
/// <remarks>
/// An action is a span of <c>ActionSpace.FlatSize</c> elements (one <see cref="int"/> for a discrete space).
/// Terminated means the MDP ended (death, goal); truncated means the episode was cut off (time limit, crash)
/// and its value must be bootstrapped from the final observation.
/// </remarks>
public interface IEnv<TObservation, TAction> : IEnv
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <inheritdoc cref="IEnv.ObservationSpace"/>
    new Space<TObservation> ObservationSpace { get; }

    /// <inheritdoc cref="IEnv.ActionSpace"/>
    new Space<TAction> ActionSpace { get; }

    /// <summary>Starts a new episode and writes its first observation.</summary>
    /// <param name="observation">Receives the observation; its length is <c>ObservationSpace.FlatSize</c>.</param>
    /// <param name="seed">Reseeds the environment's random source; the same seed gives the same episode.</param>
    void Reset(Span<TObservation> observation, int? seed = null);

    /// <summary>Applies one action and writes the next observation.</summary>
    /// <param name="action">The action, <c>ActionSpace.FlatSize</c> elements.</param>
    /// <param name="observation">Receives the next observation.</param>
    StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation);
}
