using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Algorithms.Learners;

/// <summary>
/// What every actor-critic learner shares: Adam over the model's parameters, the progress counters, one clipped
/// gradient step, and what a checkpoint saves. A subclass is its loss and its update schedule.
/// </summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
public abstract class ActorCriticLearner<TObservation, TAction> : ICheckpointableLearner<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly Parameter[] _parameters;
    private readonly Adam _optimizer;

    /// <summary>Creates Adam (with <paramref name="adamEpsilon"/>) over <paramref name="model"/>'s parameters.</summary>
    /// <param name="model">The model to train; its version becomes the learner's.</param>
    /// <param name="learningRate">Adam's starting learning rate.</param>
    /// <param name="adamEpsilon">Adam's ε.</param>
    protected ActorCriticLearner(IActorCritic<TObservation, TAction> model, double learningRate, double adamEpsilon)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _parameters = [.. model.NamedParameters.Select(p => p.Parameter)];
        _optimizer = new Adam(model.NamedParameters, new AdamOptions { LearningRate = learningRate, Epsilon = adamEpsilon });
    }

    /// <inheritdoc/>
    public PolicyVersion Version => Model.Version;

    /// <inheritdoc/>
    public IActorCritic<TObservation, TAction> Model { get; }

    /// <inheritdoc/>
    public LearnerProgress Progress { get; private set; }

    /// <inheritdoc/>
    public IOptimizer Optimizer => _optimizer;

    /// <summary>The learning rate of the coming steps.</summary>
    protected double LearningRate
    {
        get => _optimizer.LearningRate;
        set => _optimizer.LearningRate = value;
    }

    /// <inheritdoc/>
    public void RestoreProgress(LearnerProgress progress)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(progress.Updates, nameof(progress));
        ArgumentOutOfRangeException.ThrowIfNegative(progress.TrainedSteps, nameof(progress));
        Progress = progress;
    }

    /// <inheritdoc/>
    public PolicySnapshot Snapshot() => Model.TakeSnapshot();

    /// <inheritdoc/>
    public void CopySnapshotTo(PolicySnapshot target) => Model.CopySnapshotTo(target);

    /// <inheritdoc/>
    public abstract LearnerStatistics Update(IReadOnlyList<Segment<TObservation, TAction>> segments);

    /// <summary>Shuffles <paramref name="indices"/> in place (Fisher–Yates, from the end).</summary>
    protected static void Shuffle(Span<int> indices, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (var i = indices.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
    }

    /// <summary>
    /// One optimizer step from the loss's gradients with respect to the last Evaluate's outputs: zero the gradients,
    /// backpropagate, clip the global norm to <paramref name="maxGradNorm"/>, step Adam. Returns the norm before clipping.
    /// </summary>
    protected float Step(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients, double maxGradNorm)
    {
        Gradients.ZeroGrad(_parameters);
        Model.Backward(logProbGradients, entropyGradients, valueGradients);
        var norm = Gradients.ClipGradNorm(_parameters, (float)maxGradNorm);
        _optimizer.Step();
        return norm;
    }

    /// <summary>Ends an update over <paramref name="transitions"/> transitions: counts it and moves the model to the next version.</summary>
    protected void FinishUpdate(int transitions)
    {
        Progress = new LearnerProgress(Progress.Updates + 1, Progress.TrainedSteps + transitions);
        Model.SetVersion(Model.Version.Next());
    }
}
