using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Returns;

namespace Tempo.Algorithms.Impala;

/// <summary>IMPALA's learner (Espeholt et al. 2018): one V-trace actor-critic gradient step per batch of segments.</summary>
/// <remarks>
/// <para>
/// The segments are laid side by side into one time-major <c>[T, N]</c> batch; the current network evaluates
/// log π and V on every step and V(x_T) on every tail; <see cref="Vtrace"/> gives the targets v_s and the
/// policy-gradient advantages ρ_s (r_s + γ_s v_{s+1} − V(x_s)) with ρ_s = min(ρ̄, π/μ); <see cref="ImpalaLoss"/>
/// turns them into one gradient step. The paper uses RMSProp; this learner uses Adam, then global-norm clipping.
/// </para>
/// <para>
/// A truncated step bootstraps from V(final observation): γ·V is added to its reward and its discount is 0.
/// A terminated step gets discount 0 and nothing added. Each update is one gradient step; the learning rate anneals
/// over the transitions trained on (<see cref="LearnerProgress.TrainedSteps"/>).
/// </para>
/// </remarks>
public sealed class ImpalaLearner<TObservation, TAction> : ActorCriticLearner<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly ImpalaOptions _options;
    private readonly LearnerShape _shape;
    private readonly RolloutBatch<TObservation, TAction> _rollout;
    private readonly TrajectoryMinibatch<TObservation, TAction> _batch;
    private int[] _columns = [];

    /// <summary>Creates the learner; it owns the optimizer over <paramref name="model"/>'s parameters.</summary>
    /// <param name="model">The model to train; its version becomes the learner's.</param>
    /// <param name="options">IMPALA settings; validated here against <paramref name="shape"/>.</param>
    /// <param name="shape">The batches the run will feed it and its step budget, over which the learning rate anneals.</param>
    public ImpalaLearner(IActorCritic<TObservation, TAction> model, ImpalaOptions options, LearnerShape shape)
        : base(model, Validated(options, shape).LearningRate, options.AdamEps, random: null)
    {
        _options = options;
        _shape = shape;
        _rollout = new RolloutBatch<TObservation, TAction>(model.ObservationSize, model.ActionSize);
        _batch = new TrajectoryMinibatch<TObservation, TAction>(model.ObservationSize, model.ActionSize);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The segments are empty, differ in layout, or claim a policy newer than the learner's.</exception>
    public override LearnerStatistics Update(IReadOnlyList<Segment<TObservation, TAction>> segments)
    {
        var model = Model;
        var lag = PolicyLag.Measure(segments, model.Version);
        _rollout.Gather(segments);
        var trajectories = _rollout.Envs;
        _shape.RequireBatch(trajectories, _rollout.Steps, "IMPALA");
        if (_columns.Length != trajectories)
        {
            _columns = Enumerable.Range(0, trajectories).ToArray();
        }

        var fraction = Math.Max(1.0 - ((double)Progress.TrainedSteps / _shape.TotalTimesteps), 0.0);
        var learningRate = _options.AnnealLr ? fraction * _options.LearningRate : _options.LearningRate;
        LearningRate = learningRate;

        var batch = _batch;
        batch.Gather(_rollout, _columns);
        batch.Evaluate(model, (float)_options.Gamma);
        batch.ComputeVtrace((float)_options.RhoBar, (float)_options.CBar);
        var terms = ImpalaLoss.Compute(
            batch.TargetLogProbs, batch.Entropy, batch.Values, batch.Vs, batch.PolicyGradientAdvantages,
            (float)_options.BaselineCoef, (float)_options.EntCoef,
            batch.LogProbGradients, batch.EntropyGradients, batch.ValueGradients);
        var norm = Step(batch.LogProbGradients, batch.EntropyGradients, batch.ValueGradients, _options.MaxGradNorm);
        var (approxKl, clipFraction) = ImportanceWeights(batch.BehaviourLogProbs, batch.TargetLogProbs, (float)_options.RhoBar);

        var measured = new ActorCriticMeasurements(
            learningRate,
            terms.PolicyLoss,
            terms.BaselineLoss,
            terms.Entropy,
            approxKl,
            clipFraction,
            ExplainedVariance.Compute(batch.Values, batch.Vs),
            norm);
        return FinishUpdate(_rollout.Transitions, measured, lag);
    }

    /// <summary>KL(μ ‖ π) by the k3 estimator and the fraction of importance weights π/μ that V-trace clipped at ρ̄.</summary>
    private static (double ApproxKl, double ClipFraction) ImportanceWeights(ReadOnlySpan<float> behaviourLogProbs, ReadOnlySpan<float> targetLogProbs, float rhoBar)
    {
        double approxKl = 0;
        var clipped = 0;
        for (var i = 0; i < targetLogProbs.Length; i++)
        {
            var logRatio = targetLogProbs[i] - behaviourLogProbs[i];
            var ratio = MathF.Exp(logRatio);
            approxKl += ratio - 1f - logRatio;
            if (ratio > rhoBar)
            {
                clipped++;
            }
        }

        return (approxKl / targetLogProbs.Length, (double)clipped / targetLogProbs.Length);
    }

    private static ImpalaOptions Validated(ImpalaOptions options, LearnerShape shape)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(shape);
        return options;
    }
}
