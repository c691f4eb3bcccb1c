using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Replay;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Dqn;

/// <summary>DQN's learner, step for step as CleanRL's <c>dqn.py</c>: every env step goes into replay; past <c>learning-starts</c>, a gradient step every <c>train-frequency</c> steps (or as many as a target <c>replay-ratio</c> owes) and a target update every <c>target-network-frequency</c>.</summary>
/// <remarks>
/// <para>The loop over the segments' steps and the cadence are <see cref="ReplayLearner{TObservation, TAction}"/>'s.</para>
/// <para>Differences from dqn.py, deliberate: transitions come from the replay buffer's n-step windows (n = 1 is
/// dqn.py's), and the options add Double DQN, dueling heads and prioritized replay (loss weighted by importance
/// weights, priorities from |TD error|).</para>
/// </remarks>
/// <typeparam name="TObservation">Observation element type: float vectors, or byte frames kept once each in replay.</typeparam>
/// <typeparam name="TNetwork">The Q-network's type.</typeparam>
public class DqnLearner<TObservation, TNetwork> : ReplayLearner<TObservation, int>
    where TObservation : unmanaged
    where TNetwork : Module, IQNetwork<TObservation>
{
    // Statistics in declaration order; names as dqn.py and rainbow_atari.py log them; the replay's own follow.
    private const int LossStatistic = 0;
    private const int QValuesStatistic = 1;
    private const int EpsilonStatistic = 2;
    private const int BetaStatistic = 3;

    private readonly DqnOptions _options;
    private readonly PrioritizedReplayOptions? _prioritized;
    private readonly long _totalTimesteps;
    private readonly TNetwork _online;
    private readonly TNetwork _target;
    private readonly Adam _optimizer;
    private readonly ParameterSet _onlineWeights;
    private readonly Parameter[] _onlineParameters;
    private readonly (Parameter[] Online, Parameter[] Target) _targetPair;
    private readonly RandomSource _random;
    private readonly ReplayBatch<TObservation, int> _batch;
    private readonly Tensor _qGradient;
    private readonly float[] _targets;
    private readonly float[] _tdErrors;
    private readonly float[] _nextQ;
    private readonly Dictionary<RandomStreamKey, RandomSource> _streams;

    /// <summary>Creates the learner over <paramref name="online"/>, which it trains; its target network starts as a copy.</summary>
    /// <param name="online">The Q-network to train.</param>
    /// <param name="options">DQN settings.</param>
    /// <param name="totalTimesteps">The run's env-step budget, over which ε and β anneal.</param>
    /// <param name="random">The replay sampler's random stream.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public DqnLearner(TNetwork online, DqnOptions options, long totalTimesteps, RandomSource random)
        : base(
            new ReplayBuffer<TObservation, int>(
                Validated(options).Replay with { FramesPerObservation = (online ?? throw new ArgumentNullException(nameof(online))).FramesPerObservation, FrameStack = online.FrameStack },
                online.ObservationSize,
                1),
            options.Cadence,
            options.CheckpointReplay,
            ["losses/td_loss", "losses/q_values", "charts/epsilon", "charts/beta"])
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalTimesteps);
        _options = options;
        _prioritized = options.Prioritized;
        _totalTimesteps = totalTimesteps;
        _online = online;
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _target = (TNetwork)online.CreateSibling(new Random(0));
        _onlineParameters = [.. online.Parameters()];
        _targetPair = TargetNetworks.Pair(online, _target);
        TargetNetworks.Update(_targetPair, tau: 1.0);
        var named = online.NamedParameters();
        _optimizer = new Adam(named, new AdamOptions { LearningRate = options.LearningRate });
        _onlineWeights = new ParameterSet(named);
        Parameters = [.. named.Select(p => new NamedParameter($"q_network.{p.Name}", p.Parameter)), .. _target.NamedParameters("target_network")];
        Optimizers = [new NamedOptimizer("q_network", _optimizer, named)];
        _streams = new Dictionary<RandomStreamKey, RandomSource> { [RandomStreamKey.Learner] = random };
        _batch = new ReplayBatch<TObservation, int>(options.BatchSize, online.ObservationSize, 1);
        _qGradient = new Tensor(options.BatchSize, online.Actions);
        _targets = new float[options.BatchSize];
        _tdErrors = new float[options.BatchSize];
        _nextQ = new float[options.BatchSize * online.Actions];
    }

    /// <summary>The network it trains.</summary>
    public TNetwork Online => _online;

    /// <summary>The target network.</summary>
    public TNetwork Target => _target;

    /// <inheritdoc/>
    public override IReadOnlyList<NamedParameter> Parameters { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<NamedOptimizer> Optimizers { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<RandomStreamKey, RandomSource> RandomStreams => _streams;

    /// <inheritdoc/>
    public override PolicySnapshot Snapshot()
    {
        var snapshot = new PolicySnapshot(_onlineWeights.WeightCount);
        CopySnapshotTo(snapshot);
        return snapshot;
    }

    /// <inheritdoc/>
    public override void CopySnapshotTo(PolicySnapshot target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _onlineWeights.CopyTo(target.Weights);
        target.Version = Version;
    }

    /// <summary>One gradient step's gradients on <paramref name="batch"/>: TD targets from the target network, the loss, and ∂loss/∂θ in the online network's parameter gradients (zeroed first).</summary>
    /// <returns>The loss; <paramref name="tdErrors"/> receives Q(s, a) − y.</returns>
    internal float ComputeGradients(ReplayBatch<TObservation, int> batch, Span<float> tdErrors, out float meanQ)
    {
        var size = batch.Size;
        var actions = _online.Actions;
        var length = size * _online.ObservationSize;
        _qGradient.Reshape(size, actions);
        var nextObservations = batch.NextObservations.AsSpan(0, length);
        if (_options.DoubleDqn)
        {
            var nextQ = _nextQ.AsSpan(0, size * actions);
            _online.Forward(nextObservations, size).Span.CopyTo(nextQ);
            DqnLoss.TdTargets(batch.Rewards, batch.Discounts, _target.Forward(nextObservations, size).Span, nextQ, actions, _targets.AsSpan(0, size));
        }
        else
        {
            DqnLoss.TdTargets(batch.Rewards, batch.Discounts, _target.Forward(nextObservations, size).Span, [], actions, _targets.AsSpan(0, size));
        }

        var q = _online.Forward(batch.Observations.AsSpan(0, length), size);
        var loss = DqnLoss.Loss(q.Span, batch.Actions, _targets.AsSpan(0, size), batch.Weights, _qGradient.Span, tdErrors, out meanQ, _options.HuberLoss);
        _optimizer.ZeroGrad();
        _online.AccumulateParameterGradients(_qGradient);
        if (_options.MaxGradNorm is { } maxNorm)
        {
            Gradients.ClipGradNorm(_onlineParameters, (float)maxNorm);
        }

        return loss;
    }

    /// <inheritdoc/>
    protected override void TrainStep(long step)
    {
        var beta = _prioritized is { } per ? per.BetaAt((double)step / _totalTimesteps) : 1.0;
        Replay.Sample(_batch, _random, beta);
        var loss = ComputeGradients(_batch, _tdErrors, out var meanQ);
        _optimizer.Step();
        if (_prioritized is not null)
        {
            Replay.UpdatePriorities(_batch.Ids, _tdErrors);
        }

        Statistics[LossStatistic] = loss;
        Statistics[QValuesStatistic] = meanQ;
    }

    /// <inheritdoc/>
    protected override void AfterEnvStep(long step)
    {
        if (step % _options.TargetNetworkFrequency == 0)
        {
            TargetNetworks.Update(_targetPair, _options.Tau);
        }
    }

    /// <inheritdoc/>
    protected override void OnUpdated()
    {
        Statistics[EpsilonStatistic] = _options.EpsilonAt(EnvSteps, _totalTimesteps);
        Statistics[BetaStatistic] = _prioritized is { } per ? per.BetaAt((double)EnvSteps / _totalTimesteps) : double.NaN;
    }

    private static DqnOptions Validated(DqnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }
}

/// <summary>DQN over float vectors with dqn.py's <see cref="QNetwork"/>.</summary>
public sealed class DqnLearner : DqnLearner<float, QNetwork>
{
    /// <summary>Creates the learner over <paramref name="online"/>, which it trains; its target network starts as a copy.</summary>
    /// <param name="online">The Q-network to train.</param>
    /// <param name="options">DQN settings.</param>
    /// <param name="totalTimesteps">The run's env-step budget, over which ε and β anneal.</param>
    /// <param name="random">The replay sampler's random stream.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public DqnLearner(QNetwork online, DqnOptions options, long totalTimesteps, RandomSource random)
        : base(online, options, totalTimesteps, random)
    {
    }
}
