using Tempo.Algorithms.Policies;
using Tempo.Nn.Distributions;
using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Models;

/// <summary>CleanRL's <c>ppo_continuous_action.py</c> agent: a tanh MLP for the Gaussian's mean, a state-independent log-std, a tanh MLP critic.</summary>
/// <remarks>
/// Initialized as CleanRL's <c>layer_init</c> (orthogonal, gains √2 / 0.01 / 1, zero biases) with log-std 0.
/// Actions are sampled unclipped; clipping to the action space is the env stack's job (a ClipAction wrapper),
/// so the log-probabilities stay those of the sampled actions. Parameters are named <c>critic.*</c>,
/// <c>actor_mean.*</c> and <c>actor_logstd</c>, as in the PyTorch module.
/// </remarks>
public sealed class GaussianMlpActorCritic : IActorCritic<float, float>
{
    private readonly ActorCriticNetworks _networks;
    private readonly Random _random;
    private readonly Tensor _meanGradient;
    private readonly Parameter _logStd;
    private readonly float[] _entropyRow;
    private readonly Action _evaluateActor;
    private readonly Action _backwardActor;
    private float[] _actions = [];
    private Tensor? _mean;

    /// <summary>Builds the networks for <paramref name="observationSize"/> inputs and <paramref name="actionSize"/>-dimensional actions.</summary>
    /// <param name="observationSize">Elements of one observation.</param>
    /// <param name="actionSize">Dimensions of one action.</param>
    /// <param name="hiddenSizes">Hidden layer widths (CleanRL: 64, 64).</param>
    /// <param name="random">Source of the initial weights and, afterwards, of sampled actions.</param>
    public GaussianMlpActorCritic(int observationSize, int actionSize, IReadOnlyList<int> hiddenSizes, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        _random = random ?? throw new ArgumentNullException(nameof(random));
        ObservationSize = observationSize;
        ActionSize = actionSize;
        int[] actorSizes = [observationSize, .. hiddenSizes, actionSize];
        int[] criticSizes = [observationSize, .. hiddenSizes, 1];
        var critic = Mlp.CreateOrthogonal(criticSizes, Activation.Tanh, LayerInit.HiddenGain, LayerInit.ValueHeadGain, random);
        var actor = Mlp.CreateOrthogonal(actorSizes, Activation.Tanh, LayerInit.HiddenGain, LayerInit.PolicyHeadGain, random);
        _logStd = new Parameter("actor_logstd", 1, actionSize);
        _networks = new ActorCriticNetworks(observationSize, actor, critic, [.. critic.NamedParameters("critic"), .. actor.NamedParameters("actor_mean"), new NamedParameter("actor_logstd", _logStd)]);
        _entropyRow = new float[1];
        _meanGradient = new Tensor(1, actionSize);
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

    /// <inheritdoc/>
    public int ActionSize { get; }

    /// <inheritdoc/>
    public PolicyVersion Version { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<NamedParameter> NamedParameters => _networks.Parameters.Named;

    /// <inheritdoc/>
    public int WeightCount => _networks.Parameters.WeightCount;

    /// <inheritdoc/>
    public void Act(ReadOnlySpan<float> observations, int batch, ActionSelection selection, Span<float> actions, Span<float> logProbs, Span<float> values)
    {
        var mean = _networks.ActActor(observations, batch);
        var taken = actions[..(batch * ActionSize)];
        if (selection == ActionSelection.Sample)
        {
            DiagonalNormal.Sample(mean, _logStd.Value.Span, _random, taken);
        }
        else
        {
            mean.CopyTo(taken);
        }

        DiagonalNormal.LogProb(mean, _logStd.Value.Span, taken, logProbs[..batch]);
        _networks.ActCritic(observations, batch, values);
    }

    /// <inheritdoc/>
    public void EstimateValues(ReadOnlySpan<float> observations, int batch, Span<float> values) =>
        _networks.ActCritic(observations, batch, values);

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, int batch, Span<float> logProbs, Span<float> entropy, Span<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (_actions.Length != batch * ActionSize)
        {
            _actions = new float[batch * ActionSize];
        }

        actions[..(batch * ActionSize)].CopyTo(_actions);
        _networks.Evaluate(observations, batch, _evaluateActor, logProbs, entropy, values);
    }

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients) =>
        _networks.Backward(logProbGradients, entropyGradients, valueGradients, _backwardActor);

    /// <summary>The actor's half of <see cref="Evaluate"/>: the mean, then the log-probabilities; the entropy is the same for every row.</summary>
    private void EvaluateActor()
    {
        _mean = _networks.ForwardActor();
        DiagonalNormal.LogProb(_mean.Span, _logStd.Value.Span, _actions, _networks.LogProbs);
        DiagonalNormal.Entropy(_logStd.Value.Span, _entropyRow);
        _networks.Entropy.Fill(_entropyRow[0]);
    }

    /// <summary>The actor's half of <see cref="Backward"/>: ∂loss/∂mean and ∂loss/∂log σ, then the actor's parameter gradients.</summary>
    private void BackwardActor()
    {
        _meanGradient.Reshape(_networks.Batch, ActionSize);
        DiagonalNormal.Backward(
            _mean!.Span, _logStd.Value.Span, _actions, _networks.LogProbGradients, _networks.EntropyGradients, _meanGradient.Span, _logStd.Gradient.Span);
        _networks.BackwardActor(_meanGradient);
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
