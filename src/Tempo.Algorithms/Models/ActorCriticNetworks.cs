using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Models;

/// <summary>The part every MLP actor-critic shares: an actor network and a critic network over one input batch, and their parameters as one vector.</summary>
/// <remarks>What the actor's output means (logits, a Gaussian's mean) is the owning model's business.</remarks>
internal sealed class ActorCriticNetworks
{
    private readonly Sequential _actor;
    private readonly Sequential _critic;
    private readonly Tensor _input;
    private readonly Tensor _valueGradient = new(1, 1);
    private readonly InferencePlan _actorPlan;
    private readonly InferencePlan _criticPlan;

    /// <summary>Wraps the two networks; <paramref name="parameters"/> lists every trainable tensor of the model, named.</summary>
    public ActorCriticNetworks(int observationSize, Sequential actor, Sequential critic, IReadOnlyList<NamedParameter> parameters)
    {
        ObservationSize = observationSize;
        _actor = actor;
        _critic = critic;
        _input = new Tensor(1, observationSize);
        Parameters = new ParameterSet(parameters);
        _actorPlan = new InferencePlan(actor);
        _criticPlan = new InferencePlan(critic);
    }

    /// <summary>Elements of one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>The model's parameters viewed as one flat vector.</summary>
    public ParameterSet Parameters { get; }

    /// <summary>Copies a batch of observations in and runs the actor for training; the critic can then run on the same batch.</summary>
    /// <remarks>Training calls mark the acting copies stale: the optimizer step that follows changes the weights.</remarks>
    public Tensor ForwardActor(ReadOnlySpan<float> observations, int batch)
    {
        InvalidateInference();
        LoadInput(observations, batch);
        return _actor.Forward(_input);
    }

    /// <summary>The actor's output for acting (no gradients): a small batch takes the transposed-weight plan.</summary>
    public ReadOnlySpan<float> ActActor(ReadOnlySpan<float> observations, int batch)
    {
        RequireObservations(observations, batch);
        return batch <= InferencePlan.MaxBatch
            ? _actorPlan.Forward(observations[..(batch * ObservationSize)], batch)
            : ForwardModules(_actor, observations, batch);
    }

    /// <summary>V(s) for acting or bootstrapping (no gradients).</summary>
    public void ActCritic(ReadOnlySpan<float> observations, int batch, Span<float> values)
    {
        RequireObservations(observations, batch);
        var result = batch <= InferencePlan.MaxBatch
            ? _criticPlan.Forward(observations[..(batch * ObservationSize)], batch)
            : ForwardModules(_critic, observations, batch);
        result.CopyTo(values[..batch]);
    }

    /// <summary>Marks the acting copies out of date; call whenever the parameters may have changed.</summary>
    public void InvalidateInference()
    {
        _actorPlan.Invalidate();
        _criticPlan.Invalidate();
    }

    /// <summary>Runs the critic on the batch last loaded and writes V(s).</summary>
    public void ForwardCritic(int batch, Span<float> values) => _critic.Forward(_input).Span.CopyTo(values[..batch]);

    /// <summary>Adds the actor's parameter gradients for ∂loss/∂(actor output).</summary>
    public void BackwardActor(Tensor outputGradient)
    {
        InvalidateInference();
        _actor.AccumulateParameterGradients(outputGradient);
    }

    /// <summary>Adds the critic's parameter gradients for ∂loss/∂V.</summary>
    public void BackwardCritic(ReadOnlySpan<float> valueGradients, int batch)
    {
        _valueGradient.Reshape(batch, 1);
        valueGradients[..batch].CopyTo(_valueGradient.Span);
        _critic.AccumulateParameterGradients(_valueGradient);
    }

    private ReadOnlySpan<float> ForwardModules(Sequential network, ReadOnlySpan<float> observations, int batch)
    {
        LoadInput(observations, batch);
        return network.Forward(_input).Span;
    }

    private void RequireObservations(ReadOnlySpan<float> observations, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (observations.Length < batch * ObservationSize)
        {
            throw new ArgumentException($"{batch} observations of {ObservationSize} elements need {batch * ObservationSize} values; got {observations.Length}.", nameof(observations));
        }
    }

    private void LoadInput(ReadOnlySpan<float> observations, int batch)
    {
        RequireObservations(observations, batch);
        if (_input.Dim(0) != batch)
        {
            _input.Reshape(batch, ObservationSize);
        }

        observations[..(batch * ObservationSize)].CopyTo(_input.Span);
    }
}
