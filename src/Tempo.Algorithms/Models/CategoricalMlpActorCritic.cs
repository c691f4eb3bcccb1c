using Tempo.Algorithms.Policies;
using Tempo.Nn.Distributions;
using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Models;

/// <summary>CleanRL's <c>ppo.py</c> agent: separate tanh MLPs for the logits (actor) and the value (critic).</summary>
/// <remarks>
/// Initialized as CleanRL's <c>layer_init</c>: orthogonal weights with gain √2 in hidden layers, 0.01 for the
/// policy head and 1 for the value head, zero biases. Parameters are named <c>actor.0.weight</c>, …,
/// <c>critic.4.bias</c>, as in the PyTorch module.
/// </remarks>
public sealed class CategoricalMlpActorCritic : IActorCritic<float, int>
{
    private readonly ActorCriticNetworks _networks;
    private readonly Random _random;
    private readonly Tensor _logitsGradient;
    private readonly Action _evaluateActor;
    private readonly Action _backwardActor;
    private int[] _actions = [];
    private Tensor? _logits;

    /// <summary>Builds the networks for <paramref name="observationSize"/> inputs and <paramref name="actionCount"/> actions.</summary>
    /// <param name="observationSize">Elements of one observation.</param>
    /// <param name="actionCount">Number of discrete actions.</param>
    /// <param name="hiddenSizes">Hidden layer widths (CleanRL: 64, 64).</param>
    /// <param name="random">Source of the initial weights and, afterwards, of sampled actions.</param>
    public CategoricalMlpActorCritic(int observationSize, int actionCount, IReadOnlyList<int> hiddenSizes, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 2);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        _random = random ?? throw new ArgumentNullException(nameof(random));
        ObservationSize = observationSize;
        ActionCount = actionCount;
        int[] actorSizes = [observationSize, .. hiddenSizes, actionCount];
        int[] criticSizes = [observationSize, .. hiddenSizes, 1];
        var critic = Mlp.CreateOrthogonal(criticSizes, Activation.Tanh, LayerInit.HiddenGain, LayerInit.ValueHeadGain, random);
        var actor = Mlp.CreateOrthogonal(actorSizes, Activation.Tanh, LayerInit.HiddenGain, LayerInit.PolicyHeadGain, random);
        _networks = new ActorCriticNetworks(observationSize, actor, critic, [.. actor.NamedParameters("actor"), .. critic.NamedParameters("critic")]);
        _logitsGradient = new Tensor(1, actionCount);
        _evaluateActor = EvaluateActor;
        _backwardActor = BackwardActor;
    }

    /// <summary>Threads for training: with two, the actor's and the critic's passes run at once. Null (the default) means one.</summary>
    public KernelParallelism? Parallelism
    {
        get => _networks.Parallelism;
        set => _networks.Parallelism = value;
    }

    /// <inheritdoc/>
    public int ObservationSize { get; }

    /// <summary>Number of discrete actions.</summary>
    public int ActionCount { get; }

    /// <inheritdoc/>
    public int ActionSize => 1;

    /// <inheritdoc/>
    public PolicyVersion Version { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<NamedParameter> NamedParameters => _networks.Parameters.Named;

    /// <inheritdoc/>
    public int WeightCount => _networks.Parameters.WeightCount;

    /// <inheritdoc/>
    public void Act(ReadOnlySpan<float> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values)
    {
        var logits = _networks.ActActor(observations, batch);
        CategoricalSelection.Select(logits, ActionCount, selection, _random, actions[..batch]);
        Categorical.LogProb(logits, ActionCount, actions[..batch], logProbs[..batch]);
        _networks.ActCritic(observations, batch, values);
    }

    /// <inheritdoc/>
    public void EstimateValues(ReadOnlySpan<float> observations, int batch, Span<float> values) =>
        _networks.ActCritic(observations, batch, values);

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int batch, Span<float> logProbs, Span<float> entropy, Span<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (_actions.Length != batch)
        {
            _actions = new int[batch];
        }

        actions[..batch].CopyTo(_actions);
        _networks.Evaluate(observations, batch, _evaluateActor, logProbs, entropy, values);
    }

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients) =>
        _networks.Backward(logProbGradients, entropyGradients, valueGradients, _backwardActor);

    /// <summary>The actor's half of <see cref="Evaluate"/>: logits, then log-probabilities and entropy.</summary>
    private void EvaluateActor()
    {
        _logits = _networks.ForwardActor();
        Categorical.LogProbAndEntropy(_logits.Span, ActionCount, _actions, _networks.LogProbs, _networks.Entropy);
    }

    /// <summary>The actor's half of <see cref="Backward"/>: ∂loss/∂logits, then the actor's parameter gradients.</summary>
    private void BackwardActor()
    {
        _logitsGradient.Reshape(_networks.Batch, ActionCount);
        Categorical.Backward(_logits!.Span, ActionCount, _actions, _networks.LogProbGradients, _networks.EntropyGradients, _logitsGradient.Span);
        _networks.BackwardActor(_logitsGradient);
    }

    /// <inheritdoc/>
    public void CopyWeightsTo(Span<float> destination) => _networks.Parameters.CopyTo(destination);

    /// <inheritdoc/>
    public void Load(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _networks.Parameters.LoadFrom(snapshot.Weights);
        _networks.InvalidateInference();
        Version = snapshot.Version;
    }

    /// <inheritdoc/>
    public void SetVersion(PolicyVersion version) => Version = version;
}
