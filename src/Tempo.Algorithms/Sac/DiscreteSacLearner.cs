using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Replay;
using Tempo.Core.Seeding;
using Tempo.Nn.Distributions;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Sac;

/// <summary>Discrete SAC's learner, step for step as CleanRL's <c>sac_atari.py</c> (Christodoulou 2019): a categorical policy, twin critics over all actions, and α tuned towards a target entropy of scale · log|A|.</summary>
/// <remarks>
/// <para>Past <c>learning-starts</c>, every <c>update-frequency</c> env steps one batch feeds a critic step, then an
/// actor step and an α step; a target update follows every <c>target-network-frequency</c> env steps. With a categorical
/// policy every expectation over actions is exact, so nothing is reparameterized: the critics' target is
/// r + γ(1 − d) Σ_a π(a|s′)(min Q_target(s′, a) − α log π(a|s′)), the actor loss is the mean over batch and actions of
/// π(a|s)(α log π(a|s) − min Q(s, a)) and the α loss the mean of π(a|s)(−α(log π(a|s) + target entropy)), both reading
/// the policy before the actor's step, as the script does.</para>
/// <para>Snapshots carry the actor's weights, which <see cref="DiscreteSacPolicy"/> acts with.</para>
/// </remarks>
public sealed class DiscreteSacLearner : ReplayLearner<float, int>
{
    private readonly DiscreteSacOptions _options;
    private readonly DiscreteSacNetworks _networks;
    private readonly SoftActorCriticCore _core;
    private readonly RandomSource _random;
    private readonly float _targetEntropy;
    private readonly ReplayBatch<float, int> _batch;
    private readonly Tensor _observations;
    private readonly Tensor _q1Gradient;
    private readonly Tensor _q2Gradient;
    private readonly Tensor _logitGradient;
    private readonly float[] _logProbs;
    private readonly float[] _probs;
    private readonly float[] _minQ;
    private readonly float[] _nextValues;

    /// <summary>Creates the learner over <paramref name="networks"/>, which it trains; the target critics start as copies of the critics.</summary>
    /// <param name="networks">Actor, critics and target critics.</param>
    /// <param name="options">Discrete SAC settings.</param>
    /// <param name="random">The replay sampler's random stream.</param>
    /// <exception cref="ArgumentException">A setting is out of range, or a target's parameters differ from its critic's.</exception>
    public DiscreteSacLearner(DiscreteSacNetworks networks, DiscreteSacOptions options, RandomSource random)
        : base(
            new ReplayBuffer<float, int>(Validated(options).Replay, (networks ?? throw new ArgumentNullException(nameof(networks))).ObservationSize, 1),
            options.Cadence,
            options.CheckpointReplay,
            SoftActorCriticCore.StatisticNames)
    {
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _options = options;
        _networks = networks;
        _core = new SoftActorCriticCore(
            networks.Actor, (networks.Qf1, networks.Qf2, networks.Qf1Target, networks.Qf2Target), (options.PolicyLr, options.QLr, options.AdamEps), options.Autotune, options.Alpha, random);
        _targetEntropy = (float)options.TargetEntropy(networks.Actions);

        var batch = options.BatchSize;
        var actions = networks.Actions;
        _batch = new ReplayBatch<float, int>(batch, networks.ObservationSize, 1);
        _observations = new Tensor(batch, networks.ObservationSize);
        _q1Gradient = new Tensor(batch, actions);
        _q2Gradient = new Tensor(batch, actions);
        _logitGradient = new Tensor(batch, actions);
        _logProbs = new float[batch * actions];
        _probs = new float[batch * actions];
        _minQ = new float[batch * actions];
        _nextValues = new float[batch];
    }

    /// <summary>The networks it trains.</summary>
    public DiscreteSacNetworks Networks => _networks;

    /// <summary>The entropy coefficient α now.</summary>
    public double Alpha => _core.Alpha;

    /// <inheritdoc/>
    public override IReadOnlyList<NamedParameter> Parameters => _core.Parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<NamedOptimizer> Optimizers => _core.Optimizers;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<RandomStreamKey, RandomSource> RandomStreams => _core.RandomStreams;

    /// <summary>log α, whose gradient <see cref="ComputeAlphaGradient"/> writes.</summary>
    internal Parameter LogAlpha => _core.LogAlpha;

    /// <inheritdoc/>
    public override PolicySnapshot Snapshot()
    {
        var snapshot = new PolicySnapshot(_core.SnapshotWeights);
        CopySnapshotTo(snapshot);
        return snapshot;
    }

    /// <inheritdoc/>
    public override void CopySnapshotTo(PolicySnapshot target)
    {
        _core.CopySnapshotTo(target, Version);
    }

    /// <summary>The critics' gradients on <paramref name="batch"/> (zeroed first): y = r + γ(1 − d) Σ_a π(a|s′)(min Q_target(s′, a) − α log π(a|s′)), loss = MSE(Q1(s, a), y) + MSE(Q2(s, a), y).</summary>
    /// <returns>The two losses and the mean Q values at the taken actions.</returns>
    internal (float Qf1Loss, float Qf2Loss, float Qf1Values, float Qf2Values) ComputeCriticGradients(ReplayBatch<float, int> batch)
    {
        var size = batch.Size;
        var actions = _networks.Actions;
        var alpha = (float)Alpha;
        LoadObservations(batch.NextObservations, size);
        PolicyAt(size);
        var minQ = _minQ.AsSpan(0, size * actions);
        _networks.Qf1Target.Forward(_observations).Span.CopyTo(minQ);
        MinInto(minQ, _networks.Qf2Target.Forward(_observations).Span);
        for (var b = 0; b < size; b++)
        {
            var value = 0f;
            for (var a = 0; a < actions; a++)
            {
                var i = (b * actions) + a;
                value += _probs[i] * (minQ[i] - (alpha * _logProbs[i]));
            }

            _nextValues[b] = batch.Rewards[b] + (batch.Discounts[b] * value);
        }

        LoadObservations(batch.Observations, size);
        _core.QOptimizer.ZeroGrad();
        var (loss1, mean1) = CriticLoss(_networks.Qf1, batch.Actions, _q1Gradient);
        var (loss2, mean2) = CriticLoss(_networks.Qf2, batch.Actions, _q2Gradient);
        return (loss1, loss2, mean1, mean2);
    }

    /// <summary>The actor's gradients on <paramref name="batch"/> (zeroed first): loss = mean over batch and actions of π(a|s)(α log π(a|s) − min(Q1, Q2)(s, a)); keeps π for <see cref="ComputeAlphaGradient"/>.</summary>
    /// <returns>The actor loss.</returns>
    internal float ComputeActorGradients(ReplayBatch<float, int> batch)
    {
        var size = batch.Size;
        var actions = _networks.Actions;
        var alpha = (float)Alpha;
        LoadObservations(batch.Observations, size);
        var minQ = _minQ.AsSpan(0, size * actions);
        _networks.Qf1.Forward(_observations).Span.CopyTo(minQ);
        MinInto(minQ, _networks.Qf2.Forward(_observations).Span);
        PolicyAt(size);

        // With f_a = α log π_a − m_a and L_b = Σ_a π_a f_a: ∂L_b/∂z_k = π_k (f_k − L_b), the log π term's own derivative summing to zero.
        _logitGradient.Reshape(size, actions);
        var gradient = _logitGradient.Span;
        var inverse = 1f / (size * actions);
        var loss = 0.0;
        for (var b = 0; b < size; b++)
        {
            var row = 0f;
            for (var a = 0; a < actions; a++)
            {
                var i = (b * actions) + a;
                row += _probs[i] * ((alpha * _logProbs[i]) - minQ[i]);
            }

            loss += row;
            for (var a = 0; a < actions; a++)
            {
                var i = (b * actions) + a;
                gradient[i] = _probs[i] * ((alpha * _logProbs[i]) - minQ[i] - row) * inverse;
            }
        }

        _core.ActorOptimizer.ZeroGrad();
        _networks.Actor.AccumulateParameterGradients(_logitGradient);
        return (float)(loss * inverse);
    }

    /// <summary>α's gradient (zeroed first) from the policy <see cref="ComputeActorGradients"/> read: loss = mean over batch and actions of π(a|s)(−α(log π(a|s) + target entropy)).</summary>
    /// <returns>The α loss.</returns>
    internal float ComputeAlphaGradient(int size)
    {
        var count = size * _networks.Actions;
        var alpha = (float)Alpha;
        var loss = 0.0;
        for (var i = 0; i < count; i++)
        {
            loss += _probs[i] * -alpha * (_logProbs[i] + _targetEntropy);
        }

        // ∂/∂log α of −e^{log α}·c is the term itself.
        loss /= count;
        _core.LogAlpha.Gradient.Span[0] = (float)loss;
        return (float)loss;
    }

    /// <inheritdoc/>
    protected override void TrainStep(long step)
    {
        Replay.Sample(_batch, _random);
        _core.StepCritics(Statistics, ComputeCriticGradients(_batch));
        Statistics[SoftActorCriticCore.ActorLossStatistic] = ComputeActorGradients(_batch);
        _core.ActorOptimizer.Step();
        if (_core.AlphaOptimizer is not null)
        {
            Statistics[SoftActorCriticCore.AlphaLossStatistic] = ComputeAlphaGradient(_batch.Size);
            _core.AlphaOptimizer.Step();
        }
    }

    /// <inheritdoc/>
    protected override void AfterEnvStep(long step)
    {
        if (step % _options.TargetNetworkFrequency == 0)
        {
            _core.UpdateTargets(_options.Tau);
        }
    }

    /// <inheritdoc/>
    protected override void OnUpdated() => Statistics[SoftActorCriticCore.AlphaStatistic] = Alpha;

    private static DiscreteSacOptions Validated(DiscreteSacOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private static void MinInto(Span<float> minimum, ReadOnlySpan<float> other)
    {
        for (var i = 0; i < minimum.Length; i++)
        {
            minimum[i] = MathF.Min(minimum[i], other[i]);
        }
    }

    private void LoadObservations(float[] observations, int size)
    {
        _observations.Reshape(size, _networks.ObservationSize);
        observations.AsSpan(0, _observations.Length).CopyTo(_observations.Span);
    }

    /// <summary>π and log π at the loaded observations.</summary>
    private void PolicyAt(int size)
    {
        var count = size * _networks.Actions;
        var logits = _networks.Actor.Forward(_observations).Span;
        Categorical.LogProbabilities(logits, _networks.Actions, _logProbs.AsSpan(0, count));
        for (var i = 0; i < count; i++)
        {
            _probs[i] = MathF.Exp(_logProbs[i]);
        }
    }

    private (float Loss, float MeanQ) CriticLoss(Module critic, ReadOnlySpan<int> taken, Tensor gradient)
    {
        var size = _observations.Dim(0);
        var actions = _networks.Actions;
        var q = critic.Forward(_observations).Span;
        gradient.Reshape(size, actions);
        var g = gradient.Span;
        g.Clear();
        var loss = 0.0;
        var mean = 0.0;
        for (var b = 0; b < size; b++)
        {
            var index = (b * actions) + taken[b];
            var error = q[index] - _nextValues[b];
            loss += error * error;
            mean += q[index];
            g[index] = 2f * error / size;
        }

        critic.AccumulateParameterGradients(gradient);
        return ((float)(loss / size), (float)(mean / size));
    }
}
