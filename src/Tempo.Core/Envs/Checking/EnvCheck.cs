namespace Tempo.Core.Envs.Checking;

/// <summary>The checks <see cref="EnvChecker"/> runs, each a rule of the env contract.</summary>
public enum EnvCheck
{
    /// <summary>Both spaces are present and agree between the typed and untyped views.</summary>
    Spaces,

    /// <summary>Reset with a seed and a buffer of the observation's flat size succeeds.</summary>
    Reset,

    /// <summary>The reset observation lies in the observation space (every element written).</summary>
    ResetObservationInSpace,

    /// <summary>Steps with actions sampled from the action space succeed.</summary>
    Step,

    /// <summary>Every step observation lies in the observation space.</summary>
    StepObservationInSpace,

    /// <summary>Every reward is finite.</summary>
    FiniteReward,

    /// <summary>Resetting twice with the same seed gives the same observation.</summary>
    ResetDeterminism,

    /// <summary>The same seed and action sequence give the same observations, rewards and flags.</summary>
    TrajectoryDeterminism,

    /// <summary>Step after the episode ended (terminated or truncated) throws <see cref="InvalidOperationException"/>.</summary>
    StepAfterEpisodeEnd,

    /// <summary>Reset and Step reject an observation buffer of the wrong length with <see cref="ArgumentException"/>.</summary>
    ObservationBufferLength,

    /// <summary>Step rejects an action of the wrong length with <see cref="ArgumentException"/>.</summary>
    ActionLength,

    /// <summary>Step rejects an action outside a discrete space (or a NaN continuous action) with <see cref="ArgumentException"/>.</summary>
    InvalidAction,
}
