namespace Tempo.Algorithms.Sac;

/// <summary>SAC's settings under CleanRL's <c>sac_continuous_action.py</c> names and defaults.</summary>
/// <remarks>Steps count env steps, as the script's <c>global_step</c> does with one env. The actor's and critics' widths are
/// the run's <c>hidden-sizes</c> (the script: 256, 256). The settings both SACs have are <see cref="SoftActorCriticOptions"/>'.</remarks>
public sealed record SacOptions : SoftActorCriticOptions
{
    /// <summary>sac_continuous_action.py's defaults.</summary>
    public SacOptions()
    {
        Tau = 0.005;
        BatchSize = 256;
        LearningStarts = 5_000;
        QLr = 1e-3;
        TargetNetworkFrequency = 1;
    }

    /// <inheritdoc/>
    public override string Name => "sac";

    /// <summary>Env steps between actor updates; each time the actor takes this many steps (the script's delayed, catch-up loop).</summary>
    public int PolicyFrequency { get; init; } = 2;

    /// <inheritdoc/>
    protected override void ValidateOwn() =>
        Require(PolicyFrequency > 0, nameof(PolicyFrequency), PolicyFrequency, "a positive number of steps");
}
