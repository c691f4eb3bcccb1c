using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Replay;

namespace Tempo.Algorithms.Sac;

/// <summary>Discrete SAC's settings under CleanRL's <c>sac_atari.py</c> names and defaults (SAC's options shape, plus <c>update-frequency</c> and <c>target-entropy-scale</c>).</summary>
/// <remarks>Steps count env steps, as the script's <c>global_step</c> does with one env. The actor's and critics' widths are
/// the run's <c>hidden-sizes</c>. The script's defaults suit Atari's 5M steps; <c>configs/sac/cartpole-discrete.json</c>
/// holds settings for CartPole.</remarks>
public sealed record DiscreteSacOptions : IAlgorithm
{
    /// <inheritdoc/>
    public string Name => "sac-discrete";

    /// <inheritdoc/>
    public bool IsOnPolicy => false;

    /// <summary>Replay capacity in transitions.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Discount factor γ.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Target networks' update rate: target ← τ · online + (1 − τ) · target.</summary>
    public double Tau { get; init; } = 1.0;

    /// <summary>Transitions per gradient step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Env steps before the first gradient step; until then actions are drawn uniformly.</summary>
    public int LearningStarts { get; init; } = 20_000;

    /// <summary>The actor's Adam learning rate.</summary>
    public double PolicyLr { get; init; } = 3e-4;

    /// <summary>The critics' (and α's) Adam learning rate.</summary>
    public double QLr { get; init; } = 3e-4;

    /// <summary>Adam's ε for all three optimizers (the script's 1e-4).</summary>
    public double AdamEps { get; init; } = 1e-4;

    /// <summary>Env steps between updates (each a critic, an actor and an α step).</summary>
    public int UpdateFrequency { get; init; } = 4;

    /// <summary>Env steps between target network updates.</summary>
    public int TargetNetworkFrequency { get; init; } = 8_000;

    /// <summary>Entropy coefficient α (the starting value's logarithm is 0 when <see cref="Autotune"/> is on, as the script's).</summary>
    public double Alpha { get; init; } = 0.2;

    /// <summary>Tune α towards the target entropy scale · log|A|.</summary>
    public bool Autotune { get; init; } = true;

    /// <summary>The target entropy as a fraction of the uniform policy's, log|A|.</summary>
    public double TargetEntropyScale { get; init; } = 0.89;

    /// <summary>Gradient steps per inserted env step to hold instead of one every update-frequency steps; null: update-frequency's cadence.</summary>
    public double? ReplayRatio { get; init; }

    /// <summary>Checkpoints carry the replay buffer, so a resumed run continues from it rather than from an empty buffer.</summary>
    public bool CheckpointReplay { get; init; }

    /// <summary>The replay buffer these settings describe.</summary>
    public ReplayOptions Replay => new(BufferSize, NSteps: 1, Gamma);

    /// <summary>When updates are due.</summary>
    public ReplayCadence Cadence => new(LearningStarts, UpdateFrequency, ReplayRatio);

    /// <summary>The entropy α is tuned towards for <paramref name="actions"/> actions: scale · log|A| (the script's −scale · log(1/|A|)).</summary>
    public double TargetEntropy(int actions) => TargetEntropyScale * Math.Log(actions);

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
        Require(PolicyLr > 0 && double.IsFinite(PolicyLr), "policy-lr", PolicyLr, "a positive number");
        Require(QLr > 0 && double.IsFinite(QLr), "q-lr", QLr, "a positive number");
        Require(AdamEps > 0 && double.IsFinite(AdamEps), "adam-eps", AdamEps, "a positive number");
        Require(UpdateFrequency > 0, "update-frequency", UpdateFrequency, "a positive number of steps");
        Require(TargetNetworkFrequency > 0, "target-network-frequency", TargetNetworkFrequency, "a positive number of steps");
        Require(Alpha > 0 && double.IsFinite(Alpha), "alpha", Alpha, "a positive number");
        Require(TargetEntropyScale is >= 0 and <= 1, "target-entropy-scale", TargetEntropyScale, "in [0, 1]");
        Cadence.Validate();
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
            throw new ArgumentException($"{name} must be {expected}; got {value}.");
        }
    }
}
