using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Returns;
using Tempo.Core.Seeding;

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
    private readonly PpoOptions _options;
    private readonly LearnerShape _shape;
    private readonly RandomSource _random;
    private readonly RolloutBatch<TObservation, TAction> _rollout;
    private readonly MinibatchBuffers<TObservation, TAction> _minibatch;

    /// <summary>Creates the learner; it owns the optimizer over <paramref name="model"/>'s parameters.</summary>
    /// <param name="model">The model to train; its version becomes the learner's.</param>
    /// <param name="options">PPO settings; validated here against <paramref name="shape"/>.</param>
    /// <param name="shape">The rollouts the run will feed it (envs × steps) and its step budget, over which the schedules anneal.</param>
    /// <param name="random">Source of the minibatch shuffles.</param>
    public PpoLearner(IActorCritic<TObservation, TAction> model, PpoOptions options, LearnerShape shape, RandomSource random)
        : base(model, Validated(options, shape).LearningRate, options.AdamEps, random ?? throw new ArgumentNullException(nameof(random)))
    {
        _options = options;
        _shape = shape;
        _random = random;
        _rollout = new RolloutBatch<TObservation, TAction>(model.ObservationSize, model.ActionSize);
        _minibatch = new MinibatchBuffers<TObservation, TAction>(model.ObservationSize, model.ActionSize);
    }

    /// <inheritdoc/>
    public override LearnerStatistics Update(IReadOnlyList<Segment<TObservation, TAction>> segments)
    {
        _rollout.Gather(segments);
        _shape.RequireBatch(_rollout.Envs, _rollout.Steps, "PPO");
        var model = Model;
        var gamma = (float)_options.Gamma;

        // Bootstrap values: the tail of every env, and every truncated step's final observation.
        model.EstimateValues(_rollout.BootstrapObservations, _rollout.Envs, _rollout.BootstrapValues);
        _rollout.EstimateTruncationValues(model);
        Gae.Compute(
            _rollout.Rewards, _rollout.Values, _rollout.Terminated, _rollout.Truncated, _rollout.TruncationValues,
            _rollout.BootstrapValues, gamma, (float)_options.GaeLambda, _rollout.Advantages, _rollout.Returns);

        // CleanRL anneals with frac = 1 − (iteration − 1) / num_iterations, set before the update.
        var fraction = 1.0 - ((double)Progress.Updates / Math.Max(1, _shape.Updates));
        fraction = Math.Max(fraction, 0.0);
        var learningRate = _options.AnnealLr ? fraction * _options.LearningRate : _options.LearningRate;
        LearningRate = learningRate;
        var clipCoef = _options.AnnealClipCoef ? fraction * _options.ClipCoef : _options.ClipCoef;
        var coefficients = new PpoLossCoefficients((float)clipCoef, (float)_options.EntCoef, (float)_options.VfCoef, _options.ClipVloss);

        var batchSize = _rollout.Transitions;
        var minibatchSize = batchSize / _options.NumMinibatches;
        var indices = _rollout.Indices;
        var accumulator = new UpdateAccumulator();
        for (var epoch = 0; epoch < _options.UpdateEpochs; epoch++)
        {
            Shuffle(indices, _random);
            for (var start = 0; start + minibatchSize <= batchSize; start += minibatchSize)
            {
                var slice = indices.AsSpan(start, minibatchSize);
                _minibatch.Gather(_rollout, slice, _options.NormAdv);
                model.Evaluate(_minibatch.Observations, _minibatch.Actions, minibatchSize, _minibatch.NewLogProbs, _minibatch.Entropy, _minibatch.NewValues);
                var terms = PpoLoss.Compute(
                    _minibatch.NewLogProbs, _minibatch.OldLogProbs, _minibatch.Advantages, _minibatch.Entropy,
                    _minibatch.NewValues, _minibatch.OldValues, _minibatch.Returns, coefficients,
                    _minibatch.LogProbGradients, _minibatch.EntropyGradients, _minibatch.ValueGradients);
                var norm = Step(_minibatch.LogProbGradients, _minibatch.EntropyGradients, _minibatch.ValueGradients, _options.MaxGradNorm);
                accumulator.Add(terms, norm);
            }

            if (_options.TargetKl is { } targetKl && accumulator.LastApproxKl > targetKl)
            {
                break;
            }
        }

        var measured = new ActorCriticMeasurements(
            learningRate,
            accumulator.Last.PolicyLoss,
            accumulator.Last.ValueLoss,
            accumulator.Last.Entropy,
            accumulator.Last.ApproxKl,
            accumulator.MeanClipFraction,
            Learners.ExplainedVariance.Compute(_rollout.Values, _rollout.Returns),
            accumulator.MeanGradientNorm);
        return FinishUpdate(batchSize, measured, lag: null);
    }

    /// <summary>Averages what CleanRL logs: the last minibatch's losses, the mean clip fraction and gradient norm.</summary>
    private struct UpdateAccumulator
    {
        private double _clipFractionSum;
        private double _normSum;
        private int _count;

        public PpoLossTerms Last { get; private set; }

        public readonly double LastApproxKl => Last.ApproxKl;

        public readonly double MeanClipFraction => _count == 0 ? 0 : _clipFractionSum / _count;

        public readonly double MeanGradientNorm => _count == 0 ? 0 : _normSum / _count;

        public void Add(PpoLossTerms terms, float norm)
        {
            Last = terms;
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
