using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Ppo;
using Tempo.Algorithms.Returns;
using Tempo.Core.Seeding;

namespace Tempo.Algorithms.Appo;

/// <summary>Asynchronous PPO (Sample Factory, RLlib): PPO's clipped surrogate with ratio π_θ / μ on V-trace advantages, trained on segments from older policies.</summary>
/// <remarks>
/// <para>
/// Per update the segments are laid side by side into one time-major <c>[T, N]</c> batch. Each epoch shuffles
/// the N env columns and splits them into minibatches of whole trajectories, so the V-trace recursion
/// (<see cref="Vtrace"/>, Espeholt et al. 2018, eq. 1) runs intact along every trajectory. Per minibatch,
/// as Sample Factory does, the current network evaluates log π and V on every step and V-trace is recomputed
/// from them: v_s are the value targets, the policy-gradient advantages (which carry V-trace's clipped ρ, as in
/// Sample Factory and RLlib) feed <see cref="PpoLoss"/> with the behaviour log-probabilities μ recorded in the
/// segments as the "old" policy. The targets are constants of the loss; gradients flow only through log π, the
/// entropy and V.
/// </para>
/// <para>
/// A truncated step bootstraps from V(final observation): γ·V is added to its reward and its discount is 0.
/// A terminated step gets discount 0 and nothing added. The learning rate anneals over the transitions trained
/// on, which on a synchronous schedule is PPO's per-iteration schedule.
/// </para>
/// </remarks>
public sealed class AppoLearner<TObservation, TAction> : ActorCriticLearner<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly AppoOptions _options;
    private readonly LearnerShape _shape;
    private readonly RandomSource _random;
    private readonly RolloutBatch<TObservation, TAction> _rollout;
    private readonly TrajectoryMinibatch<TObservation, TAction> _minibatch;
    private int[] _columns = [];
    private float[] _predictedValues = [];
    private float[] _valueTargets = [];

    /// <summary>Creates the learner; it owns the optimizer over <paramref name="model"/>'s parameters.</summary>
    /// <param name="model">The model to train; its version becomes the learner's.</param>
    /// <param name="options">APPO settings; validated here against <paramref name="shape"/>.</param>
    /// <param name="shape">The batches the run will feed it and its step budget, over which the learning rate anneals.</param>
    /// <param name="random">Source of the trajectory shuffles.</param>
    public AppoLearner(IActorCritic<TObservation, TAction> model, AppoOptions options, LearnerShape shape, RandomSource random)
        : base(model, Validated(options, shape).LearningRate, options.AdamEps, random ?? throw new ArgumentNullException(nameof(random)))
    {
        _options = options;
        _shape = shape;
        _random = random;
        _rollout = new RolloutBatch<TObservation, TAction>(model.ObservationSize, model.ActionSize);
        _minibatch = new TrajectoryMinibatch<TObservation, TAction>(model.ObservationSize, model.ActionSize);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The segments are empty, differ in layout or from the learner's shape, or claim a policy newer than the learner's.</exception>
    public override LearnerStatistics Update(IReadOnlyList<Segment<TObservation, TAction>> segments)
    {
        var model = Model;
        var lag = PolicyLag.Measure(segments, model.Version);
        _rollout.Gather(segments);
        var trajectories = _rollout.Envs;
        _shape.RequireBatch(trajectories, _rollout.Steps, "APPO");
        var minibatches = _options.NumMinibatches;

        var fraction = Math.Max(1.0 - ((double)Progress.TrainedSteps / _shape.TotalTimesteps), 0.0);
        var learningRate = _options.AnnealLr ? fraction * _options.LearningRate : _options.LearningRate;
        LearningRate = learningRate;
        var coefficients = new PpoLossCoefficients((float)_options.ClipCoef, (float)_options.EntCoef, (float)_options.VfCoef, _options.ClipVloss);
        var gamma = (float)_options.Gamma;
        var rhoBar = (float)_options.RhoBar;
        var cBar = (float)_options.CBar;
        PrepareBuffers(trajectories, _rollout.Transitions);

        var statistics = new MinibatchAverages();
        for (var epoch = 0; epoch < _options.UpdateEpochs; epoch++)
        {
            Shuffle(_columns.AsSpan(0, trajectories), _random);
            for (var m = 0; m < minibatches; m++)
            {
                var start = m * trajectories / minibatches;
                var end = (m + 1) * trajectories / minibatches;
                var minibatch = _minibatch;
                minibatch.Gather(_rollout, _columns.AsSpan(start, end - start));
                minibatch.Evaluate(model, gamma);
                minibatch.ComputeVtrace(rhoBar, cBar);
                if (_options.NormAdv)
                {
                    PpoLoss.NormalizeAdvantages(minibatch.PolicyGradientAdvantages, minibatch.Advantages);
                }
                else
                {
                    minibatch.PolicyGradientAdvantages.CopyTo(minibatch.Advantages);
                }

                var terms = PpoLoss.Compute(
                    minibatch.TargetLogProbs, minibatch.BehaviourLogProbs, minibatch.Advantages, minibatch.Entropy,
                    minibatch.Values, minibatch.BehaviourValues, minibatch.Vs, coefficients,
                    minibatch.LogProbGradients, minibatch.EntropyGradients, minibatch.ValueGradients);
                var norm = Step(minibatch.LogProbGradients, minibatch.EntropyGradients, minibatch.ValueGradients, _options.MaxGradNorm);
                statistics.Add(terms, norm);
                if (epoch == 0)
                {
                    // Explained variance of the first pass: each prediction taken just before its minibatch's step.
                    minibatch.ScatterTo(minibatch.Values, _predictedValues, trajectories);
                    minibatch.ScatterTo(minibatch.Vs, _valueTargets, trajectories);
                }
            }
        }

        var transitions = _rollout.Transitions;
        var measured = new ActorCriticMeasurements(
            learningRate,
            statistics.PolicyLoss,
            statistics.ValueLoss,
            statistics.Entropy,
            statistics.ApproxKl,
            statistics.ClipFraction,
            ExplainedVariance.Compute(_predictedValues.AsSpan(0, transitions), _valueTargets.AsSpan(0, transitions)),
            statistics.GradientNorm);
        return FinishUpdate(transitions, measured, lag);
    }

    private void PrepareBuffers(int trajectories, int transitions)
    {
        if (_columns.Length != trajectories)
        {
            _columns = new int[trajectories];
        }

        for (var i = 0; i < trajectories; i++)
        {
            _columns[i] = i;
        }

        if (_predictedValues.Length < transitions)
        {
            _predictedValues = new float[transitions];
            _valueTargets = new float[transitions];
        }
    }

    /// <summary>Means over every minibatch of the update: losses, entropy, KL(μ ‖ π), clip fraction, gradient norm.</summary>
    private struct MinibatchAverages
    {
        private double _policyLoss;
        private double _valueLoss;
        private double _entropy;
        private double _approxKl;
        private double _clipFraction;
        private double _gradientNorm;
        private int _count;

        public readonly double PolicyLoss => _policyLoss / _count;

        public readonly double ValueLoss => _valueLoss / _count;

        public readonly double Entropy => _entropy / _count;

        public readonly double ApproxKl => _approxKl / _count;

        public readonly double ClipFraction => _clipFraction / _count;

        public readonly double GradientNorm => _gradientNorm / _count;

        public void Add(PpoLossTerms terms, float norm)
        {
            _policyLoss += terms.PolicyLoss;
            _valueLoss += terms.ValueLoss;
            _entropy += terms.Entropy;
            _approxKl += terms.ApproxKl;
            _clipFraction += terms.ClipFraction;
            _gradientNorm += norm;
            _count++;
        }
    }

    private static AppoOptions Validated(AppoOptions options, LearnerShape shape)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(shape);
        return options;
    }
}
