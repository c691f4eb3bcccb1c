using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Algorithms.Learners;

/// <summary>
/// What every actor-critic learner shares: Adam over the model's parameters, the progress counters, one clipped
/// gradient step, its statistics, and what a checkpoint saves. A subclass is its loss and its update schedule.
/// </summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
public abstract class ActorCriticLearner<TObservation, TAction> : ICheckpointableLearner<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>The checkpoint name of the one optimizer (Adam over the whole actor-critic).</summary>
    public const string OptimizerName = "actor_critic";

    private readonly Parameter[] _parameters;
    private readonly Adam _optimizer;
    private readonly LearnerStatistics _statistics = new(ActorCriticStatistics.Names);
    private int _gradientSteps;

    /// <summary>Creates Adam (with <paramref name="adamEpsilon"/>) over <paramref name="model"/>'s parameters.</summary>
    /// <param name="model">The model to train; its version becomes the learner's.</param>
    /// <param name="learningRate">Adam's starting learning rate.</param>
    /// <param name="adamEpsilon">Adam's ε.</param>
    /// <param name="random">The learner's random stream (shuffles), saved by checkpoints; null when it has none.</param>
    protected ActorCriticLearner(IActorCritic<TObservation, TAction> model, double learningRate, double adamEpsilon, RandomSource? random)
        : this(
            model,
            learningRate,
            adamEpsilon,
            random is null ? new Dictionary<RandomStreamKey, RandomSource>() : new Dictionary<RandomStreamKey, RandomSource> { [RandomStreamKey.Learner] = random })
    {
    }

    /// <summary>Creates Adam (with <paramref name="adamEpsilon"/>) over <paramref name="model"/>'s parameters; checkpoints save <paramref name="randomStreams"/>.</summary>
    /// <param name="model">The model to train; its version becomes the learner's.</param>
    /// <param name="learningRate">Adam's starting learning rate.</param>
    /// <param name="adamEpsilon">Adam's ε.</param>
    /// <param name="randomStreams">The learner's random streams under their checkpoint keys (a data-parallel learner has one per rank).</param>
    protected ActorCriticLearner(IActorCritic<TObservation, TAction> model, double learningRate, double adamEpsilon, IReadOnlyDictionary<RandomStreamKey, RandomSource> randomStreams)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _parameters = [.. model.NamedParameters.Select(p => p.Parameter)];
        _optimizer = new Adam(model.NamedParameters, new AdamOptions { LearningRate = learningRate, Epsilon = adamEpsilon });
        Optimizers = [new NamedOptimizer(OptimizerName, _optimizer, model.NamedParameters)];
        RandomStreams = randomStreams ?? throw new ArgumentNullException(nameof(randomStreams));
    }

    /// <inheritdoc/>
    public PolicyVersion Version => Model.Version;

    /// <summary>The model it trains.</summary>
    protected IActorCritic<TObservation, TAction> Model { get; }

    /// <inheritdoc/>
    public IReadOnlyList<NamedParameter> Parameters => Model.NamedParameters;

    /// <inheritdoc/>
    public IReadOnlyList<NamedOptimizer> Optimizers { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<RandomStreamKey, RandomSource> RandomStreams { get; }

    /// <inheritdoc/>
    public LearnerProgress Progress { get; private set; }

    /// <summary>The learning rate of the coming steps.</summary>
    protected double LearningRate
    {
        get => _optimizer.LearningRate;
        set => _optimizer.LearningRate = value;
    }

    /// <inheritdoc/>
    public void Restore(LearnerProgress progress, PolicyVersion version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(progress.Updates, nameof(progress));
        ArgumentOutOfRangeException.ThrowIfNegative(progress.TrainedSteps, nameof(progress));
        Progress = progress;
        Model.SetVersion(version);
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
        return ApplyGradients(maxGradNorm);
    }

    /// <summary>
    /// One optimizer step from the gradients the model's parameters hold: clip their global norm to
    /// <paramref name="maxGradNorm"/>, step Adam. Returns the norm before clipping. (<see cref="Step"/> is zero, backward, this.)
    /// </summary>
    protected float ApplyGradients(double maxGradNorm)
    {
        var norm = Gradients.ClipGradNorm(_parameters, (float)maxGradNorm);
        _optimizer.Step();
        _gradientSteps++;
        return norm;
    }

    /// <summary>
    /// Ends an update over <paramref name="transitions"/> transitions: counts it, moves the model to the next version,
    /// and writes what it measured into the learner's statistics, which it returns.
    /// </summary>
    /// <param name="transitions">Transitions trained on.</param>
    /// <param name="measured">The update's losses and diagnostics.</param>
    /// <param name="lag">The policy lag of the segments, when the learner measures it.</param>
    protected LearnerStatistics FinishUpdate(int transitions, in ActorCriticMeasurements measured, PolicyLag? lag)
    {
        Progress = new LearnerProgress(Progress.Updates + 1, Progress.TrainedSteps + transitions);
        Model.SetVersion(Model.Version.Next());
        var statistics = _statistics;
        ActorCriticStatistics.Write(statistics, measured);
        statistics.PolicyVersion = Model.Version.Value;
        statistics.GradientSteps = _gradientSteps;
        statistics.PolicyLag = lag;
        _gradientSteps = 0;
        return statistics;
    }
}
