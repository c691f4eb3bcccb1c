using Tempo.Algorithms.Policies;
using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Models;

/// <summary>A trainable policy with a value head: what on-policy and V-trace learners train.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// Training works on per-sample quantities: <see cref="Evaluate"/> returns log π(a | s), the entropy and V(s) for
/// given actions; <see cref="Backward"/> takes the loss's gradients with respect to those three and adds the
/// parameter gradients. The distribution (categorical, Gaussian) is the model's business, not the learner's.
/// </remarks>
public interface IActorCritic<TObservation, TAction> : IPolicy<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>Elements of one observation.</summary>
    int ObservationSize { get; }

    /// <summary>Elements of one action (1 for a discrete action).</summary>
    int ActionSize { get; }

    /// <summary>The trainable parameters with PyTorch-style names (e.g. <c>actor.0.weight</c>).</summary>
    IReadOnlyList<NamedParameter> NamedParameters { get; }

    /// <summary>Total number of trainable scalars; the length of a snapshot's weights.</summary>
    int WeightCount { get; }

    /// <summary>Computes log π(a | s), entropy and V(s) for a minibatch, caching what <see cref="Backward"/> needs.</summary>
    void Evaluate(ReadOnlySpan<TObservation> observations, ReadOnlySpan<TAction> actions, int batch, Span<float> logProbs, Span<float> entropy, Span<float> values);

    /// <summary>Adds the parameter gradients of a loss given its gradients with respect to the last <see cref="Evaluate"/>'s outputs.</summary>
    void Backward(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients);

    /// <summary>Writes all weights, in <see cref="NamedParameters"/> order, into <paramref name="destination"/>.</summary>
    void CopyWeightsTo(Span<float> destination);

    /// <summary>Marks the loaded weights as <paramref name="version"/> (the learner does this after each update).</summary>
    void SetVersion(PolicyVersion version);
}
