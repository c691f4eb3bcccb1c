using Tempo.Nn.Kernels;
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
    private readonly Action _criticForward;
    private readonly Action _criticBackward;
    private Tensor? _criticOutput;
    private float[] _logProbs = [];
    private float[] _entropy = [];
    private float[] _logProbGradients = [];
    private float[] _entropyGradients = [];

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
        _criticForward = () => _criticOutput = _critic.Forward(_input);
        _criticBackward = () => _critic.AccumulateParameterGradients(_valueGradient);
    }

    /// <summary>Elements of one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>The model's parameters viewed as one flat vector.</summary>
    public ParameterSet Parameters { get; }

    /// <summary>
    /// Threads for training passes, or null for one: with two, the actor's pass and the critic's pass of
    /// <see cref="Evaluate"/> and <see cref="Backward"/> run at once (the networks share nothing but the input).
    /// </summary>
    public KernelParallelism? Parallelism { get; set; }

    /// <summary>The batch the last <see cref="Evaluate"/> loaded (0 before any).</summary>
    public int Batch { get; private set; }

    /// <summary>log π(a | s) of the evaluated batch; the actor pass of <see cref="Evaluate"/> writes it.</summary>
    public Span<float> LogProbs => _logProbs;

    /// <summary>The policy's entropy for the evaluated batch; the actor pass of <see cref="Evaluate"/> writes it.</summary>
    public Span<float> Entropy => _entropy;

    /// <summary>∂loss/∂log π for the evaluated batch, as <see cref="Backward"/> received it; for its actor pass.</summary>
    public ReadOnlySpan<float> LogProbGradients => _logProbGradients;

    /// <summary>∂loss/∂entropy for the evaluated batch, as <see cref="Backward"/> received it; for its actor pass.</summary>
    public ReadOnlySpan<float> EntropyGradients => _entropyGradients;

    /// <summary>
    /// Copies a batch of observations in, then runs <paramref name="actorPass"/> beside the critic's forward pass. The
    /// actor pass calls <see cref="ForwardActor"/> and fills <see cref="LogProbs"/> and <see cref="Entropy"/>; then
    /// log π, the entropy and V(s) are written out.
    /// </summary>
    /// <remarks>Training calls mark the acting copies stale: the optimizer step that follows changes the weights.</remarks>
    public void Evaluate(ReadOnlySpan<float> observations, int batch, Action actorPass, Span<float> logProbs, Span<float> entropy, Span<float> values)
    {
        InvalidateInference();
        LoadInput(observations, batch);
        if (_logProbs.Length != batch)
        {
            // Exactly the batch's length, so passes take whole arrays as spans. Minibatch sizes rarely change.
            _logProbs = new float[batch];
            _entropy = new float[batch];
            _logProbGradients = new float[batch];
            _entropyGradients = new float[batch];
        }

        Batch = batch;
        RunPasses(actorPass, _criticForward);
        _logProbs.CopyTo(logProbs[..batch]);
        _entropy.CopyTo(entropy[..batch]);
        _criticOutput!.Span.CopyTo(values[..batch]);
    }

    /// <summary>The actor's training forward pass on the batch <see cref="Evaluate"/> loaded; for the actor pass only.</summary>
    public Tensor ForwardActor() => _actor.Forward(_input);

    /// <summary>
    /// Takes the loss's gradients with respect to the last <see cref="Evaluate"/>'s outputs and runs
    /// <paramref name="actorPass"/> (which computes ∂loss/∂(actor output) from <see cref="LogProbGradients"/> and
    /// <see cref="EntropyGradients"/> and calls <see cref="BackwardActor"/>) beside the critic's backward pass for
    /// ∂loss/∂V; both add parameter gradients.
    /// </summary>
    /// <exception cref="InvalidOperationException">No batch was evaluated yet.</exception>
    public void Backward(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients, Action actorPass)
    {
        var batch = Batch;
        if (batch == 0)
        {
            throw new InvalidOperationException("Backward called before Evaluate.");
        }

        InvalidateInference();
        logProbGradients[..batch].CopyTo(_logProbGradients);
        entropyGradients[..batch].CopyTo(_entropyGradients);
        _valueGradient.Reshape(batch, 1);
        valueGradients[..batch].CopyTo(_valueGradient.Span);
        RunPasses(actorPass, _criticBackward);
    }

    /// <summary>Adds the actor's parameter gradients for ∂loss/∂(actor output); for the actor pass only.</summary>
    public void BackwardActor(Tensor outputGradient) => _actor.AccumulateParameterGradients(outputGradient);

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

    private void RunPasses(Action actorPass, Action criticPass)
    {
        if (Parallelism is { ThreadCount: > 1 } parallelism)
        {
            parallelism.Invoke(actorPass, criticPass);
        }
        else
        {
            actorPass();
            criticPass();
        }
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
