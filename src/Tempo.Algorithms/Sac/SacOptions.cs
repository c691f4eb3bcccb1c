using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Replay;
using Tempo.Core.Configuration;

namespace Tempo.Algorithms.Sac;

/// <summary>SAC's settings under CleanRL's <c>sac_continuous_action.py</c> names and defaults.</summary>
/// <remarks>Steps count env steps, as the script's <c>global_step</c> does with one env. The actor's and critics' widths are
/// the run's <c>hidden-sizes</c> (the script: 256, 256).</remarks>
public sealed record SacOptions : IAlgorithm
{
    /// <inheritdoc/>
    public string Name => "sac";

    /// <inheritdoc/>
    public bool IsOnPolicy => false;

    /// <summary>Replay capacity in transitions.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Discount factor γ.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Target networks' update rate: target ← τ · online + (1 − τ) · target.</summary>
    public double Tau { get; init; } = 0.005;

    /// <summary>Transitions per gradient step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Env steps before the first gradient step; until then actions are drawn uniformly from the action space.</summary>
    public int LearningStarts { get; init; } = 5_000;

    /// <summary>The actor's Adam learning rate.</summary>
    public double PolicyLr { get; init; } = 3e-4;

    /// <summary>The critics' (and α's) Adam learning rate.</summary>
    public double QLr { get; init; } = 1e-3;

    /// <summary>Env steps between actor updates; each time the actor takes this many steps (the script's delayed, catch-up loop).</summary>
    public int PolicyFrequency { get; init; } = 2;

    /// <summary>Env steps between target network updates.</summary>
    public int TargetNetworkFrequency { get; init; } = 1;

    /// <summary>Entropy coefficient α (the starting value's logarithm is 0 when <see cref="Autotune"/> is on, as the script's).</summary>
    public double Alpha { get; init; } = 0.2;

    /// <summary>Tune α towards the target entropy −|A|.</summary>
    public bool Autotune { get; init; } = true;

    /// <summary>Checkpoints carry the replay buffer, so a resumed run continues from it rather than from an empty buffer.</summary>
    public bool CheckpointReplay { get; init; }

    /// <summary>The replay buffer these settings describe.</summary>
    public ReplayOptions Replay => new(BufferSize, NSteps: 1, Gamma);

    /// <inheritdoc/>
    public void Validate(LearnerShape shape)
    {
        shape.Validate();
        Validate();
    }

    /// <summary>Throws naming the first setting out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Require(Gamma is >= 0 and <= 1, "gamma", Gamma, "in [0, 1]");
        Require(Tau is > 0 and <= 1, "tau", Tau, "in (0, 1]");
        Require(BatchSize > 0, "batch-size", BatchSize, "a positive number");
        Require(LearningStarts >= 0, "learning-starts", LearningStarts, "zero or more steps");
        Require(PolicyLr > 0 && double.IsFinite(PolicyLr), "policy-lr", PolicyLr, "a positive number");
        Require(QLr > 0 && double.IsFinite(QLr), "q-lr", QLr, "a positive number");
        Require(PolicyFrequency > 0, "policy-frequency", PolicyFrequency, "a positive number of steps");
        Require(TargetNetworkFrequency > 0, "target-network-frequency", TargetNetworkFrequency, "a positive number of steps");
        Require(Alpha > 0 && double.IsFinite(Alpha), "alpha", Alpha, "a positive number");
        Replay.Validate();
        if (BatchSize > BufferSize)
        {
            throw new ArgumentException($"batch-size ({BatchSize}) must not exceed buffer-size ({BufferSize}).");
        }
    }

    private static void Require(bool condition, string name, object value, string expected)
    {
        if (!condition)
        {
            throw OptionError.Invalid(name, value, $"must be {expected}");
        }
    }
}
