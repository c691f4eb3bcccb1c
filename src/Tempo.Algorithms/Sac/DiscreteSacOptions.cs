using Tempo.Algorithms.Replay;

namespace Tempo.Algorithms.Sac;

/// <summary>Discrete SAC's settings under CleanRL's <c>sac_atari.py</c> names and defaults (SAC's options shape, plus <c>update-frequency</c> and <c>target-entropy-scale</c>).</summary>
/// <remarks>Steps count env steps, as the script's <c>global_step</c> does with one env. The actor's and critics' widths are
/// the run's <c>hidden-sizes</c>. The script's defaults suit Atari's 5M steps; <c>configs/sac/cartpole-discrete.json</c>
/// holds settings for CartPole. The settings both SACs have are <see cref="SoftActorCriticOptions"/>'.</remarks>
public sealed record DiscreteSacOptions : SoftActorCriticOptions
{
    /// <summary>sac_atari.py's defaults.</summary>
    public DiscreteSacOptions()
    {
        Tau = 1.0;
        BatchSize = 64;
        LearningStarts = 20_000;
        QLr = 3e-4;
        TargetNetworkFrequency = 8_000;
    }

    /// <inheritdoc/>
    public override string Name => "sac-discrete";

    /// <summary>Adam's ε for all three optimizers (the script's 1e-4).</summary>
    public double AdamEps { get; init; } = 1e-4;

    /// <summary>Env steps between updates (each a critic, an actor and an α step).</summary>
    public int UpdateFrequency { get; init; } = 4;

    /// <summary>The target entropy as a fraction of the uniform policy's, log|A|.</summary>
    public double TargetEntropyScale { get; init; } = 0.89;

    /// <summary>Gradient steps per inserted env step to hold instead of one every update-frequency steps; null: update-frequency's cadence.</summary>
    public double? ReplayRatio { get; init; }

    /// <summary>When updates are due.</summary>
    public ReplayCadence Cadence => new(LearningStarts, UpdateFrequency, ReplayRatio);

    /// <summary>The entropy α is tuned towards for <paramref name="actions"/> actions: scale · log|A| (the script's −scale · log(1/|A|)).</summary>
    public double TargetEntropy(int actions) => TargetEntropyScale * Math.Log(actions);

    /// <inheritdoc/>
    protected override void ValidateOwn()
    {
        Require(AdamEps > 0 && double.IsFinite(AdamEps), nameof(AdamEps), AdamEps, "a positive number");
        Require(UpdateFrequency > 0, nameof(UpdateFrequency), UpdateFrequency, "a positive number of steps");
        Require(TargetEntropyScale is >= 0 and <= 1, nameof(TargetEntropyScale), TargetEntropyScale, "in [0, 1]");
        Cadence.Validate();
    }
}
