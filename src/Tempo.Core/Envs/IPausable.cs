namespace Tempo.Core.Envs;

/// <summary>An environment whose world can be frozen between agent steps (a live game with a pause key, a simulator).</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <remarks>
/// The synchronous schedule uses this exactly as: last Step of the rollout → <see cref="Pause"/> → learner
/// update → <see cref="Resume"/> → first Step of the next rollout. No Step may happen while paused. Resume
/// writes a fresh observation because a live world may have moved since the last Step.
/// Wrappers implement this interface and forward it; <see cref="CanPause"/> tells whether the env at the
/// bottom of the stack really can pause.
/// </remarks>
public interface IPausable<TObservation>
    where TObservation : unmanaged
{
    /// <summary>Whether <see cref="Pause"/> and <see cref="Resume"/> are supported.</summary>
    bool CanPause { get; }

    /// <summary>Whether the world is paused now.</summary>
    bool IsPaused { get; }

    /// <summary>Freezes the world: no world time passes until <see cref="Resume"/>.</summary>
    void Pause();

    /// <summary>Unfreezes the world and writes the current observation.</summary>
    void Resume(Span<TObservation> observation);
}
