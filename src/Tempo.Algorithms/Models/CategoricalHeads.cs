using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tempo.Algorithms.Policies;
using Tempo.Nn.Distributions;
using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Models;

/// <summary>
/// CleanRL's pair of heads over shared features: a linear policy head (logits of a categorical distribution) and a linear
/// value head, with what training needs between <see cref="Evaluate"/> and <see cref="Backward"/>. The CNN and the
/// multi-input actor-critics put it on their encoders.
/// </summary>
/// <remarks>
/// Initialized as CleanRL's <c>layer_init</c>: orthogonal weights with gain 0.01 for the policy head and 1 for the value
/// head (made in that order, after the encoder, as CleanRL's module), zero biases; parameters named <c>actor.*</c> and
/// <c>critic.*</c>. The owner calls <see cref="Invalidate"/> whenever its encoder runs, since the encoder's buffers then
/// no longer hold what <see cref="Backward"/>'s caller needs.
/// </remarks>
internal sealed class CategoricalHeads
{
    private readonly Linear _actor;
    private readonly Linear _critic;
    private readonly Tensor _logitsGradient;
    private readonly Tensor _valueGradient = new(1, 1);
    private readonly Tensor _featureGradient;
    private int[] _actions = [];
    private Tensor? _logits;
    private int _evaluatedBatch;
    private bool _evaluated;

    public CategoricalHeads(int featureSize, int actionCount, Random random, KernelParallelism? parallelism)
    {
        ActionCount = actionCount;
        FeatureSize = featureSize;
        _actor = LayerInit.Orthogonal(new Linear(featureSize, actionCount, random), LayerInit.PolicyHeadGain, random);
        _critic = LayerInit.Orthogonal(new Linear(featureSize, 1, random), LayerInit.ValueHeadGain, random);
        _actor.Parallelism = parallelism;
        _critic.Parallelism = parallelism;
        _logitsGradient = new Tensor(1, actionCount);
        _featureGradient = new Tensor(1, featureSize);
    }

    public int ActionCount { get; }

    public int FeatureSize { get; }

    public IEnumerable<NamedParameter> NamedParameters => [.. _actor.NamedParameters("actor"), .. _critic.NamedParameters("critic")];

    /// <summary>The encoder ran: <see cref="Backward"/> needs a new <see cref="Evaluate"/> first.</summary>
    public void Invalidate() => _evaluated = false;

    public void Act(Tensor features, int batch, ActionSelection selection, Random random, Span<int> actions, Span<float> logProbs, Span<float> values)
    {
        var logits = _actor.Forward(features).Span;
        CategoricalSelection.Select(logits, ActionCount, selection, random, actions[..batch]);
        Categorical.LogProb(logits, ActionCount, actions[..batch], logProbs[..batch]);
        _critic.Forward(features).Span.CopyTo(values[..batch]);
    }

    public void EstimateValues(Tensor features, int batch, Span<float> values) => _critic.Forward(features).Span.CopyTo(values[..batch]);

    public void Evaluate(Tensor features, ReadOnlySpan<int> actions, int batch, Span<float> logProbs, Span<float> entropy, Span<float> values)
    {
        _logits = _actor.Forward(features);
        Categorical.LogProbAndEntropy(_logits.Span, ActionCount, actions[..batch], logProbs[..batch], entropy[..batch]);
        _critic.Forward(features).Span.CopyTo(values[..batch]);
        if (_actions.Length < batch)
        {
            _actions = new int[batch];
        }

        actions[..batch].CopyTo(_actions);
        _evaluatedBatch = batch;
        _evaluated = true;
    }

    /// <summary>Accumulates both heads' parameter gradients and returns the gradient of the features they read (batch × features, valid until the next call).</summary>
    public Tensor Backward(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients)
    {
        if (!_evaluated)
        {
            ThrowNotEvaluated();
        }

        // Nothing has run the layers since Evaluate, so the actor's output buffer still holds its logits.
        var batch = _evaluatedBatch;
        _logitsGradient.Reshape(batch, ActionCount);
        Categorical.Backward(_logits!.Span, ActionCount, _actions.AsSpan(0, batch), logProbGradients[..batch], entropyGradients[..batch], _logitsGradient.Span);
        var fromActor = _actor.Backward(_logitsGradient).Span;

        _valueGradient.Reshape(batch, 1);
        valueGradients[..batch].CopyTo(_valueGradient.Span);
        var fromCritic = _critic.Backward(_valueGradient).Span;

        // Both heads read the same features: their gradients add up.
        _featureGradient.Reshape(batch, FeatureSize);
        var sum = _featureGradient.Span;
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] = fromActor[i] + fromCritic[i];
        }

        return _featureGradient;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotEvaluated() =>
        throw new InvalidOperationException("Backward needs the Evaluate call just before it (an Act or EstimateValues in between reuses the network's buffers).");
}
