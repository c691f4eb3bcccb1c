using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Returns;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Algorithms.Ppo;

/// <summary>
/// One rank of a PPO update: its model replica, its share of the segments laid out as a rollout with GAE, its own
/// shuffle stream, and the gradients of its share of each minibatch. A single-process learner is one rank.
/// </summary>
internal sealed class PpoRank<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly MinibatchBuffers<TObservation, TAction> _minibatch;
    private Segment<TObservation, TAction>[] _share = [];

    public PpoRank(IActorCritic<TObservation, TAction> model, RandomSource random)
    {
        Model = model;
        Random = random;
        Parameters = [.. model.NamedParameters.Select(p => p.Parameter)];
        Rollout = new RolloutBatch<TObservation, TAction>(model.ObservationSize, model.ActionSize);
        _minibatch = new MinibatchBuffers<TObservation, TAction>(model.ObservationSize, model.ActionSize);
    }

    public IActorCritic<TObservation, TAction> Model { get; }

    public RandomSource Random { get; }

    public Parameter[] Parameters { get; }

    public RolloutBatch<TObservation, TAction> Rollout { get; }

    /// <summary>The loss terms of this rank's last minibatch.</summary>
    public PpoLossTerms Terms { get; private set; }

    /// <summary>Lays out this rank's share of <paramref name="segments"/> (the <paramref name="rank"/>-th of <paramref name="ranks"/> equal runs of them) and computes its values, bootstrap and GAE.</summary>
    public void Prepare(IReadOnlyList<Segment<TObservation, TAction>> segments, int rank, int ranks, LearnerShape rankShape, PpoOptions options)
    {
        Rollout.Gather(Share(segments, rank, ranks));
        rankShape.RequireBatch(Rollout.Envs, Rollout.Steps, "PPO");

        // Bootstrap values: the tail of every env, and every truncated step's final observation.
        Model.EstimateValues(Rollout.BootstrapObservations, Rollout.Envs, Rollout.BootstrapValues);
        Rollout.EstimateTruncationValues(Model);
        Gae.Compute(
            Rollout.Rewards, Rollout.Values, Rollout.Terminated, Rollout.Truncated, Rollout.TruncationValues,
            Rollout.BootstrapValues, (float)options.Gamma, (float)options.GaeLambda, Rollout.Advantages, Rollout.Returns);
    }

    /// <summary>Zeroes this replica's gradients and adds those of the loss over minibatch <c>indices[start .. start + size)</c> of its rollout.</summary>
    public void ComputeGradients(int start, int size, bool normalizeAdvantages, in PpoLossCoefficients coefficients)
    {
        var slice = Rollout.Indices.AsSpan(start, size);
        _minibatch.Gather(Rollout, slice, normalizeAdvantages);
        Model.Evaluate(_minibatch.Observations, _minibatch.Actions, size, _minibatch.NewLogProbs, _minibatch.Entropy, _minibatch.NewValues);
        Terms = PpoLoss.Compute(
            _minibatch.NewLogProbs, _minibatch.OldLogProbs, _minibatch.Advantages, _minibatch.Entropy,
            _minibatch.NewValues, _minibatch.OldValues, _minibatch.Returns, coefficients,
            _minibatch.LogProbGradients, _minibatch.EntropyGradients, _minibatch.ValueGradients);
        Gradients.ZeroGrad(Parameters);
        Model.Backward(_minibatch.LogProbGradients, _minibatch.EntropyGradients, _minibatch.ValueGradients);
    }

    private IReadOnlyList<Segment<TObservation, TAction>> Share(IReadOnlyList<Segment<TObservation, TAction>> segments, int rank, int ranks)
    {
        if (ranks == 1)
        {
            return segments;
        }

        if (segments.Count % ranks != 0)
        {
            throw new ArgumentException($"A data-parallel PPO update over {ranks} ranks needs a multiple of {ranks} segments (one run of them per rank); got {segments.Count}.", nameof(segments));
        }

        var count = segments.Count / ranks;
        if (_share.Length != count)
        {
            _share = new Segment<TObservation, TAction>[count];
        }

        for (var k = 0; k < count; k++)
        {
            _share[k] = segments[(rank * count) + k];
        }

        return _share;
    }
}
