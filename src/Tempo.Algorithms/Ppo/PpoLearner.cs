using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Learners.DataParallel;
using Tempo.Algorithms.Models;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Ppo;

/// <summary>PPO's update, step for step as CleanRL's <c>ppo.py</c>: GAE, then epochs of shuffled minibatches of the clipped loss.</summary>
/// <remarks>
/// Differences from CleanRL, both deliberate: truncated episodes bootstrap from V(final observation) rather
/// than being treated as terminal, and several segments (actors) can be trained on at once; they are laid
/// side by side along the env axis. The annealing schedules follow <see cref="LearnerProgress.Updates"/> (one per
/// rollout), as CleanRL's iterations do.
/// </remarks>
public sealed class PpoLearner<TObservation, TAction> : ActorCriticLearner<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    // A phase wakes the other ranks (microseconds on a busy machine); below this many weights rank 0 sums the gradients
    // alone in less time than that, above it (the Nature CNN's 1.7 M) every rank sums a share.
    private const int ParallelReduceWeights = 1 << 16;

    private readonly PpoOptions _options;
    private readonly LearnerShape _shape;
    private readonly LearnerShape _rankShape;
    private readonly PpoRank<TObservation, TAction>[] _ranks;
    private readonly Parameter[][] _replicaParameters;
    private readonly LearnerRanks? _threads;
    private readonly bool _parallelReduce;
    private readonly Action<int> _phaseBody;
    private Phase _phase;
    private IReadOnlyList<Segment<TObservation, TAction>> _segments = [];
    private int _minibatchStart;
    private int _minibatchSize;
    private PpoLossCoefficients _coefficients;

    /// <summary>Creates the learner; it owns the optimizer over <paramref name="model"/>'s parameters.</summary>
    /// <param name="model">The model to train; its version becomes the learner's.</param>
    /// <param name="options">PPO settings; validated here against <paramref name="shape"/>.</param>
    /// <param name="shape">The rollouts the run will feed it (envs × steps) and its step budget, over which the schedules anneal.</param>
    /// <param name="random">Source of the minibatch shuffles.</param>
    public PpoLearner(IActorCritic<TObservation, TAction> model, PpoOptions options, LearnerShape shape, RandomSource random)
        : this([model ?? throw new ArgumentNullException(nameof(model))], options, shape, [random ?? throw new ArgumentNullException(nameof(random))], ranks: null)
    {
    }

    /// <summary>
    /// Creates a data-parallel learner over K = <paramref name="replicas"/>.Count ranks, Lightning Fabric's way (CleanRL's
    /// <c>ppo_atari_multigpu.py</c>): rank r trains on the r-th of K equal runs of the segments it is given, with its own
    /// GAE, shuffles and advantage normalization; before every optimizer step the ranks' gradients are averaged, and
    /// rank 0's Adam steps once for all, so every replica holds the same weights. With K = 1 it is the single-process learner.
    /// </summary>
    /// <param name="replicas">One model per rank, all of the same architecture; replica 0 is trained and snapshotted, the others get its weights before each phase.</param>
    /// <param name="options">PPO settings; validated against one rank's share of <paramref name="shape"/> (its minibatches are the rank's).</param>
    /// <param name="shape">The whole update: every rank's env trajectories × steps, and the step budget.</param>
    /// <param name="randoms">Each rank's shuffle stream; checkpoints save rank 0's as the learner's and rank r's under <see cref="RandomStreamKey.LearnerRank"/>.</param>
    /// <param name="ranks">The ranks' threads (<see cref="LearnerRanks.Count"/> = K); null runs the ranks one after another on the caller.</param>
    /// <exception cref="ArgumentException">The lists' lengths differ, the trajectories do not split evenly over the ranks, or the options do not fit one rank's batch.</exception>
    public PpoLearner(
        IReadOnlyList<IActorCritic<TObservation, TAction>> replicas,
        PpoOptions options,
        LearnerShape shape,
        IReadOnlyList<RandomSource> randoms,
        LearnerRanks? ranks)
        : base(
            FirstReplica(replicas),
            Validated(options, RankShape(shape, replicas.Count)).LearningRate,
            options.AdamEps,
            RankStreams(randoms, replicas.Count))
    {
        if (ranks is not null && ranks.Count != replicas.Count)
        {
            throw new ArgumentException($"{replicas.Count} model replicas need {replicas.Count} learner ranks; got {ranks.Count}.", nameof(ranks));
        }

        _options = options;
        _shape = shape;
        _rankShape = RankShape(shape, replicas.Count);
        _ranks = [.. replicas.Select((model, r) => new PpoRank<TObservation, TAction>(model, randoms[r]))];
        _replicaParameters = [.. _ranks.Select(r => r.Parameters)];
        if (_replicaParameters.Any(p => p.Length != _replicaParameters[0].Length))
        {
            throw new ArgumentException("The model replicas of a data-parallel learner must share one architecture.", nameof(replicas));
        }

        _threads = ranks;
        _parallelReduce = ranks is { Count: > 1 } && _replicaParameters[0].Sum(p => p.Value.Length) >= ParallelReduceWeights;
        _phaseBody = RunPhase;
    }

    private enum Phase
    {
        Prepare,
        Gradients,
        Reduce,
    }

    /// <summary>The data-parallel ranks (K); 1 for the single-process learner.</summary>
    public int Ranks => _ranks.Length;

    /// <inheritdoc/>
    public override LearnerStatistics Update(IReadOnlyList<Segment<TObservation, TAction>> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        _segments = segments;
        try
        {
            RunOnRanks(Phase.Prepare);
        }
        finally
        {
            _segments = [];
        }

        // CleanRL anneals with frac = 1 − (iteration − 1) / num_iterations, set before the update.
        var fraction = 1.0 - ((double)Progress.Updates / Math.Max(1, _shape.Updates));
        fraction = Math.Max(fraction, 0.0);
        var learningRate = _options.AnnealLr ? fraction * _options.LearningRate : _options.LearningRate;
        LearningRate = learningRate;
        var clipCoef = _options.AnnealClipCoef ? fraction * _options.ClipCoef : _options.ClipCoef;
        _coefficients = new PpoLossCoefficients((float)clipCoef, (float)_options.EntCoef, (float)_options.VfCoef, _options.ClipVloss);

        var batchSize = _rankShape.Transitions;
        _minibatchSize = batchSize / _options.NumMinibatches;
        var accumulator = new UpdateAccumulator();
        for (var epoch = 0; epoch < _options.UpdateEpochs; epoch++)
        {
            for (_minibatchStart = 0; _minibatchStart + _minibatchSize <= batchSize; _minibatchStart += _minibatchSize)
            {
                // Each rank shuffles its own rollout at the epoch's first minibatch, then computes its share's gradients.
                RunOnRanks(Phase.Gradients);
                if (_ranks.Length > 1)
                {
                    if (_parallelReduce)
                    {
                        RunOnRanks(Phase.Reduce);
                    }
                    else
                    {
                        GradientAllReduce.AverageInto(_replicaParameters, 0, 1);
                    }
                }

                var norm = ApplyGradients(_options.MaxGradNorm);
                accumulator.Add(_ranks[0].Terms, norm, MeanApproxKl());
            }

            if (_options.TargetKl is { } targetKl && accumulator.LastMeanApproxKl > targetKl)
            {
                break;
            }
        }

        // What is logged is rank 0's, as CleanRL's multi-GPU script logs from its first rank; the gradient norm is the averaged gradient's.
        var rollout = _ranks[0].Rollout;
        var measured = new ActorCriticMeasurements(
            learningRate,
            accumulator.Last.PolicyLoss,
            accumulator.Last.ValueLoss,
            accumulator.Last.Entropy,
            accumulator.Last.ApproxKl,
            accumulator.MeanClipFraction,
            Learners.ExplainedVariance.Compute(rollout.Values, rollout.Returns),
            accumulator.MeanGradientNorm);
        return FinishUpdate(_shape.Transitions, measured, lag: null);
    }

    private static IActorCritic<TObservation, TAction> FirstReplica(IReadOnlyList<IActorCritic<TObservation, TAction>> replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        if (replicas.Count == 0 || replicas.Any(r => r is null))
        {
            throw new ArgumentException("A PPO learner needs at least one model replica, and no null one.", nameof(replicas));
        }

        return replicas[0];
    }

    private static LearnerShape RankShape(LearnerShape shape, int ranks)
    {
        if (shape.Trajectories % ranks != 0)
        {
            throw new ArgumentException($"{shape.Trajectories} env trajectories per update do not split evenly over {ranks} learner ranks.", nameof(shape));
        }

        return shape with { Trajectories = shape.Trajectories / ranks };
    }

    private static Dictionary<RandomStreamKey, RandomSource> RankStreams(IReadOnlyList<RandomSource> randoms, int ranks)
    {
        ArgumentNullException.ThrowIfNull(randoms);
        if (randoms.Count != ranks || randoms.Any(r => r is null))
        {
            throw new ArgumentException($"{ranks} learner ranks need {ranks} shuffle streams; got {randoms.Count}.", nameof(randoms));
        }

        var streams = new Dictionary<RandomStreamKey, RandomSource> { [RandomStreamKey.Learner] = randoms[0] };
        for (var r = 1; r < ranks; r++)
        {
            streams[RandomStreamKey.LearnerRank(r)] = randoms[r];
        }

        return streams;
    }

    private void RunOnRanks(Phase phase)
    {
        _phase = phase;
        if (_threads is not null)
        {
            _threads.Run(_phaseBody);
            return;
        }

        for (var r = 0; r < _ranks.Length; r++)
        {
            RunPhase(r);
        }
    }

    private void RunPhase(int r)
    {
        var rank = _ranks[r];
        switch (_phase)
        {
            case Phase.Prepare:
                // Replicas follow rank 0 (a resumed checkpoint loads into rank 0 alone).
                if (r > 0)
                {
                    GradientAllReduce.CopyWeights(_replicaParameters[0], rank.Parameters);
                }

                rank.Prepare(_segments, r, _ranks.Length, _rankShape, _options);
                break;
            case Phase.Gradients:
                if (r > 0)
                {
                    GradientAllReduce.CopyWeights(_replicaParameters[0], rank.Parameters);
                }

                if (_minibatchStart == 0)
                {
                    Shuffle(rank.Rollout.Indices, rank.Random);
                }

                rank.ComputeGradients(_minibatchStart, _minibatchSize, _options.NormAdv, _coefficients);
                break;
            case Phase.Reduce:
                GradientAllReduce.AverageInto(_replicaParameters, r, _ranks.Length);
                break;
            default:
                throw new InvalidOperationException($"Unknown phase {_phase}.");
        }
    }

    private double MeanApproxKl()
    {
        // Every rank must stop at the same minibatch, so early stopping reads the ranks' mean KL (rank 0's alone when K = 1).
        var sum = 0.0;
        foreach (var rank in _ranks)
        {
            sum += rank.Terms.ApproxKl;
        }

        return sum / _ranks.Length;
    }

    /// <summary>Averages what CleanRL logs: the last minibatch's losses, the mean clip fraction and gradient norm.</summary>
    private struct UpdateAccumulator
    {
        private double _clipFractionSum;
        private double _normSum;
        private int _count;

        public PpoLossTerms Last { get; private set; }

        public double LastMeanApproxKl { get; private set; }

        public readonly double MeanClipFraction => _count == 0 ? 0 : _clipFractionSum / _count;

        public readonly double MeanGradientNorm => _count == 0 ? 0 : _normSum / _count;

        public void Add(PpoLossTerms terms, float norm, double meanApproxKl)
        {
            Last = terms;
            LastMeanApproxKl = meanApproxKl;
            _clipFractionSum += terms.ClipFraction;
            _normSum += norm;
            _count++;
        }
    }

    private static PpoOptions Validated(PpoOptions options, LearnerShape shape)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(shape);
        return options;
    }
}
