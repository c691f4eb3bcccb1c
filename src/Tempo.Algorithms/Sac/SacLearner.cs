using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Replay;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Sac;

/// <summary>SAC's learner, step for step as CleanRL's <c>sac_continuous_action.py</c>: every env step goes into replay; past <c>learning-starts</c>, a critic step every env step, every <c>policy-frequency</c> steps that many actor (and α) steps, and a soft target update every <c>target-network-frequency</c> steps.</summary>
/// <remarks>
/// Env steps count from 1 over all envs and actors, as <see cref="Dqn.DqnLearner"/>'s do (the script counts from 0; the
/// cadence is the same shifted by one step). Snapshots carry the actor's weights, which <see cref="SacPolicy"/> acts with.
/// </remarks>
public sealed class SacLearner : ReplayLearner<float, float>
{
    private readonly SacOptions _options;
    private readonly SacActor _actor;
    private readonly SoftQNetwork _qf1;
    private readonly SoftQNetwork _qf2;
    private readonly SoftQNetwork _qf1Target;
    private readonly SoftQNetwork _qf2Target;
    private readonly SoftActorCriticCore _core;
    private readonly RandomSource _random;
    private readonly float[] _scale;
    private readonly float[] _bias;
    private readonly float _targetEntropy;
    private readonly ReplayBatch<float, float> _batch;
    private readonly Tensor _observations;
    private readonly Tensor _criticInput;
    private readonly Tensor _q1Gradient;
    private readonly Tensor _q2Gradient;
    private readonly Tensor _actorGradient;
    private readonly float[] _noise;
    private readonly float[] _squashed;
    private readonly float[] _actions;
    private readonly float[] _logProbs;
    private readonly float[] _nextValues;
    private readonly float[] _q1;
    private readonly float[] _logProbGradient;
    private readonly float[] _actionGradient;

    /// <summary>Creates the learner over <paramref name="actor"/> and the critics, which it trains; the target critics start as copies.</summary>
    /// <param name="actor">The actor to train.</param>
    /// <param name="qf1">The first critic.</param>
    /// <param name="qf2">The second critic.</param>
    /// <param name="actionLow">The action box's lower bounds.</param>
    /// <param name="actionHigh">The action box's upper bounds.</param>
    /// <param name="options">SAC settings.</param>
    /// <param name="random">The replay sampler's and the reparameterization's random stream.</param>
    /// <exception cref="ArgumentException">A setting is out of range, or the networks and bounds disagree on the sizes.</exception>
    public SacLearner(SacActor actor, SoftQNetwork qf1, SoftQNetwork qf2, ReadOnlySpan<float> actionLow, ReadOnlySpan<float> actionHigh, SacOptions options, RandomSource random)
        : base(
            new ReplayBuffer<float, float>(Validated(options).Replay, (actor ?? throw new ArgumentNullException(nameof(actor))).ObservationSize, actor.ActionSize),
            new ReplayCadence(options.LearningStarts, TrainFrequency: 1),
            options.CheckpointReplay,
            SoftActorCriticCore.StatisticNames)
    {
        ArgumentNullException.ThrowIfNull(qf1);
        ArgumentNullException.ThrowIfNull(qf2);
        _random = random ?? throw new ArgumentNullException(nameof(random));
        var n = actor.ActionSize;
        if (qf1.ActionSize != n || qf2.ActionSize != n || qf1.ObservationSize != actor.ObservationSize || qf2.ObservationSize != actor.ObservationSize)
        {
            throw new ArgumentException("SAC's actor and critics must read the same observation and action sizes.");
        }

        (_scale, _bias) = ActionBox(actionLow, actionHigh, n);
        _options = options;
        _actor = actor;
        _qf1 = qf1;
        _qf2 = qf2;
        _qf1Target = qf1.CreateSibling(new Random(0));
        _qf2Target = qf2.CreateSibling(new Random(0));
        _core = new SoftActorCriticCore(actor, (qf1, qf2, _qf1Target, _qf2Target), (options.PolicyLr, options.QLr, new AdamOptions().Epsilon), options.Autotune, options.Alpha, random);
        _targetEntropy = -n;

        var batch = options.BatchSize;
        var observationSize = actor.ObservationSize;
        _batch = new ReplayBatch<float, float>(batch, observationSize, n);
        _observations = new Tensor(batch, observationSize);
        _criticInput = new Tensor(batch, observationSize + n);
        _q1Gradient = new Tensor(batch, 1);
        _q2Gradient = new Tensor(batch, 1);
        _actorGradient = new Tensor(batch, 2 * n);
        _noise = new float[batch * n];
        _squashed = new float[batch * n];
        _actions = new float[batch * n];
        _logProbs = new float[batch];
        _nextValues = new float[batch];
        _q1 = new float[batch];
        _logProbGradient = new float[batch];
        _actionGradient = new float[batch * n];
    }

    /// <summary>The actor it trains.</summary>
    public SacActor Actor => _actor;

    /// <summary>The entropy coefficient α now.</summary>
    public double Alpha => _core.Alpha;

    /// <inheritdoc/>
    public override IReadOnlyList<NamedParameter> Parameters => _core.Parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<NamedOptimizer> Optimizers => _core.Optimizers;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<RandomStreamKey, RandomSource> RandomStreams => _core.RandomStreams;

    /// <summary>scale = (high − low) / 2 and bias = (high + low) / 2, as the script's <c>action_scale</c> and <c>action_bias</c>.</summary>
    /// <exception cref="ArgumentException">The bounds are not |A| finite pairs with low &lt; high.</exception>
    public static (float[] Scale, float[] Bias) ActionBox(ReadOnlySpan<float> low, ReadOnlySpan<float> high, int actionSize)
    {
        if (low.Length != actionSize || high.Length != actionSize)
        {
            throw new ArgumentException($"SAC needs {actionSize} lower and upper action bounds; got {low.Length} and {high.Length}.");
        }

        var scale = new float[actionSize];
        var bias = new float[actionSize];
        for (var j = 0; j < actionSize; j++)
        {
            if (!float.IsFinite(low[j]) || !float.IsFinite(high[j]) || low[j] >= high[j])
            {
                throw new ArgumentException($"SAC squashes actions into a bounded box; action dimension {j} has bounds [{low[j]}, {high[j]}].");
            }

            scale[j] = (high[j] - low[j]) / 2f;
            bias[j] = (high[j] + low[j]) / 2f;
        }

        return (scale, bias);
    }

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

    /// <summary>The target critics (each a sibling of its critic, on the critic's kernel threads).</summary>
    internal (SoftQNetwork Qf1, SoftQNetwork Qf2) TargetCritics => (_qf1Target, _qf2Target);

    /// <summary>The critics' gradients on <paramref name="batch"/> (zeroed first), with next actions drawn with <paramref name="noise"/>: y = r + γ(1 − d)(min target Q(s′, a′) − α log π(a′|s′)), loss = MSE(Q1, y) + MSE(Q2, y).</summary>
    /// <returns>The two losses and the mean Q values.</returns>
    internal (float Qf1Loss, float Qf2Loss, float Qf1Values, float Qf2Values) ComputeCriticGradients(ReplayBatch<float, float> batch, ReadOnlySpan<float> noise)
    {
        var size = batch.Size;
        var alpha = (float)Alpha;
        var next = _nextValues.AsSpan(0, size);

        SamplePolicy(batch.NextObservations, size, noise);
        FillCriticInput(batch.NextObservations, _actions, size);
        _qf1Target.Forward(_criticInput).Span.CopyTo(_q1);
        var q2Next = _qf2Target.Forward(_criticInput).Span;
        for (var b = 0; b < size; b++)
        {
            next[b] = batch.Rewards[b] + (batch.Discounts[b] * (MathF.Min(_q1[b], q2Next[b]) - (alpha * _logProbs[b])));
        }

        FillCriticInput(batch.Observations, batch.Actions, size);
        _core.QOptimizer.ZeroGrad();
        var (loss1, mean1) = CriticLoss(_qf1, next, _q1Gradient);
        var (loss2, mean2) = CriticLoss(_qf2, next, _q2Gradient);
        return (loss1, loss2, mean1, mean2);
    }

    /// <summary>The actor's gradients on <paramref name="batch"/> (zeroed first), actions drawn with <paramref name="noise"/>: loss = mean(α log π(a|s) − min(Q1, Q2)(s, a)).</summary>
    /// <returns>The actor loss.</returns>
    internal float ComputeActorGradients(ReplayBatch<float, float> batch, ReadOnlySpan<float> noise)
    {
        var size = batch.Size;
        var n = _actor.ActionSize;
        var alpha = (float)Alpha;
        var meanLogStd = SamplePolicy(batch.Observations, size, noise);
        FillCriticInput(batch.Observations, _actions, size);
        _qf1.Forward(_criticInput).Span.CopyTo(_q1);
        var q2 = _qf2.Forward(_criticInput).Span;
        _q1Gradient.Reshape(size, 1);
        _q2Gradient.Reshape(size, 1);
        var loss = 0.0;
        var inverse = 1f / size;
        for (var b = 0; b < size; b++)
        {
            var firstIsMin = _q1[b] <= q2[b];
            loss += (alpha * _logProbs[b]) - (firstIsMin ? _q1[b] : q2[b]);
            _q1Gradient.Span[b] = firstIsMin ? -inverse : 0f;
            _q2Gradient.Span[b] = firstIsMin ? 0f : -inverse;
            _logProbGradient[b] = alpha * inverse;
        }

        // ∂L/∂a through whichever critic was the minimum; the critics' parameter gradients this leaves are zeroed before their next step.
        var observationSize = _actor.ObservationSize;
        var width = observationSize + n;
        var g1 = _qf1.Backward(_q1Gradient).Span;
        var actionGradient = _actionGradient.AsSpan(0, size * n);
        for (var b = 0; b < size; b++)
        {
            g1.Slice((b * width) + observationSize, n).CopyTo(actionGradient.Slice(b * n, n));
        }

        var g2 = _qf2.Backward(_q2Gradient).Span;
        for (var b = 0; b < size; b++)
        {
            for (var j = 0; j < n; j++)
            {
                actionGradient[(b * n) + j] += g2[(b * width) + observationSize + j];
            }
        }

        _actorGradient.Reshape(size, 2 * n);
        SquashedGaussian.Backward(meanLogStd, noise[..(size * n)], _scale, _squashed.AsSpan(0, size * n), _logProbGradient.AsSpan(0, size), actionGradient, _actorGradient.Span);
        _core.ActorOptimizer.ZeroGrad();
        _actor.AccumulateParameterGradients(_actorGradient);
        return (float)(loss / size);
    }

    /// <summary>α's gradient (zeroed first) on <paramref name="batch"/>, actions drawn with <paramref name="noise"/>: loss = mean(−α(log π + target entropy)) with target entropy −|A|.</summary>
    /// <returns>The α loss.</returns>
    internal float ComputeAlphaGradient(ReplayBatch<float, float> batch, ReadOnlySpan<float> noise)
    {
        var size = batch.Size;
        SamplePolicy(batch.Observations, size, noise);
        var alpha = (float)Alpha;
        var loss = 0.0;
        for (var b = 0; b < size; b++)
        {
            loss += -alpha * (_logProbs[b] + _targetEntropy);
        }

        loss /= size;
        _core.LogAlpha.Gradient.Span[0] = (float)loss;
        return (float)loss;
    }

    /// <summary>log α, whose gradient <see cref="ComputeAlphaGradient"/> writes.</summary>
    internal Parameter LogAlpha => _core.LogAlpha;

    private ReadOnlySpan<float> SamplePolicy(float[] observations, int size, ReadOnlySpan<float> noise)
    {
        var n = _actor.ActionSize;
        _observations.Reshape(size, _actor.ObservationSize);
        observations.AsSpan(0, _observations.Length).CopyTo(_observations.Span);
        var meanLogStd = _actor.Forward(_observations).Span;
        SquashedGaussian.Sample(meanLogStd, noise[..(size * n)], _scale, _bias, _squashed.AsSpan(0, size * n), _actions.AsSpan(0, size * n), _logProbs.AsSpan(0, size));
        return meanLogStd;
    }

    private void FillCriticInput(float[] observations, float[] actions, int size)
    {
        var observationSize = _actor.ObservationSize;
        var n = _actor.ActionSize;
        var width = observationSize + n;
        _criticInput.Reshape(size, width);
        var input = _criticInput.Span;
        for (var b = 0; b < size; b++)
        {
            observations.AsSpan(b * observationSize, observationSize).CopyTo(input.Slice(b * width, observationSize));
            actions.AsSpan(b * n, n).CopyTo(input.Slice((b * width) + observationSize, n));
        }
    }

    private (float Loss, float MeanQ) CriticLoss(SoftQNetwork critic, ReadOnlySpan<float> targets, Tensor gradient)
    {
        var size = targets.Length;
        var q = critic.Forward(_criticInput).Span;
        gradient.Reshape(size, 1);
        var g = gradient.Span;
        var loss = 0.0;
        var mean = 0.0;
        for (var b = 0; b < size; b++)
        {
            var error = q[b] - targets[b];
            loss += error * error;
            mean += q[b];
            g[b] = 2f * error / size;
        }

        critic.AccumulateParameterGradients(gradient);
        return ((float)(loss / size), (float)(mean / size));
    }

    private void DrawNoise(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _noise[i] = (float)_random.NextNormal();
        }
    }

    /// <inheritdoc/>
    protected override void TrainStep(long step)
    {
        var count = _options.BatchSize * _actor.ActionSize;
        Replay.Sample(_batch, _random);
        DrawNoise(count);
        _core.StepCritics(Statistics, ComputeCriticGradients(_batch, _noise));

        if (step % _options.PolicyFrequency == 0)
        {
            // The script compensates the delay by taking policy-frequency actor steps at once, all on the same batch.
            for (var k = 0; k < _options.PolicyFrequency; k++)
            {
                DrawNoise(count);
                Statistics[SoftActorCriticCore.ActorLossStatistic] = ComputeActorGradients(_batch, _noise);
                _core.ActorOptimizer.Step();
                if (_core.AlphaOptimizer is not null)
                {
                    DrawNoise(count);
                    Statistics[SoftActorCriticCore.AlphaLossStatistic] = ComputeAlphaGradient(_batch, _noise);
                    _core.AlphaOptimizer.Step();
                }
            }
        }
    }

    /// <summary>The training and target update one env step past <c>learning-starts</c> brings (for benchmarks: no replay insert, no cadence).</summary>
    internal void TrainAt(long step)
    {
        TrainStep(step);
        AfterEnvStep(step);
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

    private static SacOptions Validated(SacOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }
}
