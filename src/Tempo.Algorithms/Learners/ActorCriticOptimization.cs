using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Algorithms.Learners;

/// <summary>What every actor-critic learner shares: Adam over the model's parameters, the progress counters, and one clipped gradient step.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>The loss, and so what a learner is, stays in the learner.</remarks>
internal sealed class ActorCriticOptimization<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly Parameter[] _parameters;
    private readonly Adam _optimizer;

    /// <summary>Creates Adam (with <paramref name="adamEpsilon"/>) over <paramref name="model"/>'s parameters.</summary>
    public ActorCriticOptimization(IActorCritic<TObservation, TAction> model, double learningRate, double adamEpsilon)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _parameters = [.. model.NamedParameters.Select(p => p.Parameter)];
        _optimizer = new Adam(model.NamedParameters, new AdamOptions { LearningRate = learningRate, Epsilon = adamEpsilon });
    }

    /// <summary>The model being trained.</summary>
    public IActorCritic<TObservation, TAction> Model { get; }

    /// <summary>The optimizer, for checkpoints.</summary>
    public IOptimizer Optimizer => _optimizer;

    /// <summary>Updates done and transitions trained on.</summary>
    public LearnerProgress Progress { get; private set; }

    /// <summary>The version of the current weights.</summary>
    public PolicyVersion Version => Model.Version;

    /// <summary>Sets the learning rate of the coming steps.</summary>
    public double LearningRate
    {
        get => _optimizer.LearningRate;
        set => _optimizer.LearningRate = value;
    }

    /// <summary>Continues from a checkpoint's counters.</summary>
    public void RestoreProgress(LearnerProgress progress)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(progress.Updates, nameof(progress));
        ArgumentOutOfRangeException.ThrowIfNegative(progress.TrainedSteps, nameof(progress));
        Progress = progress;
    }

    /// <summary>Copies the current weights into a snapshot.</summary>
    public PolicySnapshot Snapshot() => Model.TakeSnapshot();

    /// <summary>
    /// One optimizer step from the loss's gradients with respect to the last Evaluate's outputs: zero the gradients,
    /// backpropagate, clip the global norm to <paramref name="maxGradNorm"/>, step Adam. Returns the norm before clipping.
    /// </summary>
    public float Step(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients, double maxGradNorm)
    {
        Gradients.ZeroGrad(_parameters);
        Model.Backward(logProbGradients, entropyGradients, valueGradients);
        var norm = Gradients.ClipGradNorm(_parameters, (float)maxGradNorm);
        _optimizer.Step();
        return norm;
    }

    /// <summary>Ends an update over <paramref name="transitions"/> transitions: counts it and moves the model to the next version.</summary>
    public void FinishUpdate(int transitions)
    {
        Progress = new LearnerProgress(Progress.Updates + 1, Progress.TrainedSteps + transitions);
        Model.SetVersion(Model.Version.Next());
    }

    /// <summary>Shuffles <paramref name="indices"/> in place (Fisher–Yates, from the end).</summary>
    public static void Shuffle(Span<int> indices, RandomSource random)
    {
        for (var i = indices.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
    }
}
