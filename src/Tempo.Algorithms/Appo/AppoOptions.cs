namespace Tempo.Algorithms.Appo;

/// <summary>APPO's hyperparameters: PPO's clipped surrogate on V-trace targets, as Sample Factory and RLlib run it.</summary>
/// <remarks>
/// Settings shared with PPO keep CleanRL's names and defaults (<see cref="Ppo.PpoOptions"/>), so APPO on a
/// synchronous schedule with fresh segments is PPO with V-trace in place of GAE. Each property binds to the CLI
/// flag and config key of the same name in kebab-case (<see cref="RhoBar"/> ↔ <c>--rho-bar</c>).
/// </remarks>
public sealed record AppoOptions
{
    /// <summary>Total environment steps to train for; the learning rate anneals over the transitions trained on.</summary>
    public long TotalTimesteps { get; init; } = 500_000;

    /// <summary>Adam's learning rate (the starting value when annealed).</summary>
    public double LearningRate { get; init; } = 2.5e-4;

    /// <summary>Parallel environments per actor (read by whoever builds the actors).</summary>
    public int NumEnvs { get; init; } = 4;

    /// <summary>Steps per environment in each segment (read by whoever builds the actors).</summary>
    public int NumSteps { get; init; } = 128;

    /// <summary>Anneal the learning rate linearly to zero over <see cref="TotalTimesteps"/>.</summary>
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

    /// <summary>Hidden layer widths of the actor and critic MLPs (tanh).</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [64, 64];

    /// <summary>Transitions per actor segment: <see cref="NumEnvs"/> × <see cref="NumSteps"/>.</summary>
    public int BatchSize => NumEnvs * NumSteps;

    /// <summary>Throws naming the first invalid setting and its value.</summary>
    public void Validate()
    {
        Require(TotalTimesteps > 0, nameof(TotalTimesteps), TotalTimesteps, "must be positive");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive");
        Require(NumEnvs > 0, nameof(NumEnvs), NumEnvs, "must be positive");
        Require(NumSteps > 0, nameof(NumSteps), NumSteps, "must be positive");
        Require(Gamma is >= 0 and <= 1, nameof(Gamma), Gamma, "must lie in [0, 1]");
        Require(RhoBar > 0 && double.IsFinite(RhoBar), nameof(RhoBar), RhoBar, "must be positive");
        Require(CBar > 0 && double.IsFinite(CBar), nameof(CBar), CBar, "must be positive");
        Require(NumMinibatches > 0, nameof(NumMinibatches), NumMinibatches, "must be positive");
        Require(UpdateEpochs > 0, nameof(UpdateEpochs), UpdateEpochs, "must be positive");
        Require(ClipCoef > 0, nameof(ClipCoef), ClipCoef, "must be positive");
        Require(EntCoef >= 0, nameof(EntCoef), EntCoef, "must not be negative");
        Require(VfCoef >= 0, nameof(VfCoef), VfCoef, "must not be negative");
        Require(MaxGradNorm > 0, nameof(MaxGradNorm), MaxGradNorm, "must be positive");
        Require(AdamEps > 0, nameof(AdamEps), AdamEps, "must be positive");
        Require(HiddenSizes is { Count: > 0 } && HiddenSizes.All(h => h > 0), nameof(HiddenSizes), HiddenSizes is null ? "null" : string.Join(",", HiddenSizes), "must be one or more positive widths");
    }

    private static void Require(bool condition, string name, object value, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"APPO option {name} {rule}; got {value}.", name);
        }
    }
}
