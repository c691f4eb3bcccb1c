using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Core.Configuration;
using Tempo.Core.Seeding;

namespace Tempo.Algorithms.Ppo;

/// <summary>PPO's hyperparameters under CleanRL's names; the defaults are CleanRL's <c>ppo.py</c>.</summary>
/// <remarks>
/// Only what PPO's loss and optimizer read: the batch shape (envs × steps), the step budget and the network's widths
/// are the run's settings, which it hands the learner as a <see cref="LearnerShape"/> and the model.
/// Each property binds to the CLI flag and config key of the same name in kebab-case
/// (<see cref="NumMinibatches"/> ↔ <c>--num-minibatches</c> / <c>num-minibatches</c>).
/// </remarks>
public sealed record PpoOptions : IActorCriticAlgorithm
{
    /// <summary>Adam's learning rate (the starting value when annealed).</summary>
    public double LearningRate { get; init; } = 2.5e-4;

    /// <summary>Anneal the learning rate linearly to zero over the run.</summary>
    public bool AnnealLr { get; init; } = true;

    /// <summary>Discount factor γ.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE's λ.</summary>
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>Minibatches each rollout is split into.</summary>
    public int NumMinibatches { get; init; } = 4;

    /// <summary>Passes over the rollout per update.</summary>
    public int UpdateEpochs { get; init; } = 4;

    /// <summary>Normalize advantages per minibatch.</summary>
    public bool NormAdv { get; init; } = true;

    /// <summary>Surrogate clipping coefficient ε.</summary>
    public double ClipCoef { get; init; } = 0.2;

    /// <summary>Anneal the clipping coefficient linearly to zero, as Stable-Baselines3's <c>lin_0.2</c> schedule does.</summary>
    public bool AnnealClipCoef { get; init; }

    /// <summary>Clip the value loss around the behaviour values, as PPO's reference implementation does.</summary>
    public bool ClipVloss { get; init; } = true;

    /// <summary>Entropy bonus coefficient.</summary>
    public double EntCoef { get; init; } = 0.01;

    /// <summary>Value loss coefficient.</summary>
    public double VfCoef { get; init; } = 0.5;

    /// <summary>Global gradient-norm clipping threshold.</summary>
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>Stop the epochs early once the approximate KL exceeds this; null disables it.</summary>
    public double? TargetKl { get; init; }

    /// <summary>Adam's ε (CleanRL uses 1e-5 rather than PyTorch's 1e-8).</summary>
    public double AdamEps { get; init; } = 1e-5;

    /// <inheritdoc/>
    public string Name => "ppo";

    /// <inheritdoc/>
    public bool IsOnPolicy => true;

    /// <inheritdoc/>
    public void Validate(LearnerShape shape)
    {
        shape.Validate();
        OptionError.Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive");
        OptionError.Require(Gamma is >= 0 and <= 1, nameof(Gamma), Gamma, "must lie in [0, 1]");
        OptionError.Require(GaeLambda is >= 0 and <= 1, nameof(GaeLambda), GaeLambda, "must lie in [0, 1]");
        OptionError.Require(NumMinibatches > 0, nameof(NumMinibatches), NumMinibatches, "must be positive");
        OptionError.Require(shape.Transitions % NumMinibatches == 0, nameof(NumMinibatches), NumMinibatches, $"must divide the batch size {shape.Transitions} (env trajectories × steps)");
        OptionError.Require(UpdateEpochs > 0, nameof(UpdateEpochs), UpdateEpochs, "must be positive");
        OptionError.Require(ClipCoef > 0, nameof(ClipCoef), ClipCoef, "must be positive");
        OptionError.Require(EntCoef >= 0, nameof(EntCoef), EntCoef, "must not be negative");
        OptionError.Require(VfCoef >= 0, nameof(VfCoef), VfCoef, "must not be negative");
        OptionError.Require(MaxGradNorm > 0, nameof(MaxGradNorm), MaxGradNorm, "must be positive");
        OptionError.Require(TargetKl is null or > 0, nameof(TargetKl), TargetKl ?? 0, "must be positive when set");
        OptionError.Require(AdamEps > 0, nameof(AdamEps), AdamEps, "must be positive");
    }

    /// <inheritdoc/>
    public ICheckpointableLearner<TObservation, TAction> CreateLearner<TObservation, TAction>(IActorCritic<TObservation, TAction> model, LearnerShape shape, RandomSource random)
        where TObservation : unmanaged
        where TAction : unmanaged =>
        new PpoLearner<TObservation, TAction>(model, this, shape, random);

}
