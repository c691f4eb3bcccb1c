using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Core.Configuration;
using Tempo.Core.Seeding;

namespace Tempo.Algorithms.Appo;

/// <summary>APPO's hyperparameters: PPO's clipped surrogate on V-trace targets, as Sample Factory and RLlib run it.</summary>
/// <remarks>
/// Settings shared with PPO keep CleanRL's names and defaults (<see cref="Ppo.PpoOptions"/>), so APPO on a
/// synchronous schedule with fresh segments is PPO with V-trace in place of GAE. Each property binds to the CLI
/// flag and config key of the same name in kebab-case (<see cref="RhoBar"/> ↔ <c>--rho-bar</c>).
/// </remarks>
public sealed record AppoOptions : IActorCriticAlgorithm
{
    /// <summary>Adam's learning rate (the starting value when annealed).</summary>
    public double LearningRate { get; init; } = 2.5e-4;

    /// <summary>Anneal the learning rate linearly to zero over the run's step budget.</summary>
    public bool AnnealLr { get; init; } = true;

    /// <summary>Discount factor γ.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>V-trace's ρ̄: truncation of the importance weights in the value targets and the policy-gradient advantages.</summary>
    public double RhoBar { get; init; } = 1.0;

    /// <summary>V-trace's c̄: truncation of the trace-cutting importance weights.</summary>
    public double CBar { get; init; } = 1.0;

    /// <summary>Minibatches each batch is split into, as evenly as the trajectory count allows; each holds whole trajectories (env columns), so a batch needs at least this many.</summary>
    public int NumMinibatches { get; init; } = 4;

    /// <summary>Passes over the batch per update.</summary>
    public int UpdateEpochs { get; init; } = 4;

    /// <summary>Normalize the V-trace advantages per minibatch.</summary>
    public bool NormAdv { get; init; } = true;

    /// <summary>Surrogate clipping coefficient ε on the ratio π_θ / μ.</summary>
    public double ClipCoef { get; init; } = 0.2;

    /// <summary>Clip the value loss around the behaviour values, as PPO does; off by default because stale behaviour values make a poor anchor.</summary>
    public bool ClipVloss { get; init; }

    /// <summary>Entropy bonus coefficient.</summary>
    public double EntCoef { get; init; } = 0.01;

    /// <summary>Value loss coefficient.</summary>
    public double VfCoef { get; init; } = 0.5;

    /// <summary>Global gradient-norm clipping threshold.</summary>
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>Adam's ε.</summary>
    public double AdamEps { get; init; } = 1e-5;

    /// <inheritdoc/>
    public string Name => "appo";

    /// <inheritdoc/>
    public bool IsOnPolicy => false;

    /// <inheritdoc/>
    public void Validate(LearnerShape shape)
    {
        shape.Validate();
        OptionError.Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive");
        OptionError.Require(Gamma is >= 0 and <= 1, nameof(Gamma), Gamma, "must lie in [0, 1]");
        OptionError.Require(RhoBar > 0 && double.IsFinite(RhoBar), nameof(RhoBar), RhoBar, "must be positive");
        OptionError.Require(CBar > 0 && double.IsFinite(CBar), nameof(CBar), CBar, "must be positive");
        OptionError.Require(NumMinibatches > 0, nameof(NumMinibatches), NumMinibatches, "must be positive");
        OptionError.Require(NumMinibatches <= shape.Trajectories, nameof(NumMinibatches), NumMinibatches, $"must not exceed the {shape.Trajectories} env trajectories of a batch (minibatches hold whole trajectories)");
        OptionError.Require(UpdateEpochs > 0, nameof(UpdateEpochs), UpdateEpochs, "must be positive");
        OptionError.Require(ClipCoef > 0, nameof(ClipCoef), ClipCoef, "must be positive");
        OptionError.Require(EntCoef >= 0, nameof(EntCoef), EntCoef, "must not be negative");
        OptionError.Require(VfCoef >= 0, nameof(VfCoef), VfCoef, "must not be negative");
        OptionError.Require(MaxGradNorm > 0, nameof(MaxGradNorm), MaxGradNorm, "must be positive");
        OptionError.Require(AdamEps > 0, nameof(AdamEps), AdamEps, "must be positive");
    }

    /// <inheritdoc/>
    public ICheckpointableLearner<TObservation, TAction> CreateLearner<TObservation, TAction>(IActorCritic<TObservation, TAction> model, LearnerShape shape, RandomSource random)
        where TObservation : unmanaged
        where TAction : unmanaged =>
        new AppoLearner<TObservation, TAction>(model, this, shape, random);

}
