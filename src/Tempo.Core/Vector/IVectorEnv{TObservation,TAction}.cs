using Tempo.Core.Spaces;

namespace Tempo.Core.Vector;

/// <summary>N copies of an environment stepped as one batch, writing into caller-owned <see cref="VectorStepBuffers{TObservation}"/>.</summary>
/// <typeparam name="TObservation">Observation element of every env.</typeparam>
/// <typeparam name="TAction">Action element of every env.</typeparam>
/// <remarks>
/// <para>
/// Autoreset happens in the same step (Gymnasium's <c>AutoresetMode.SAME_STEP</c>): when env i ends, terminated
/// or truncated, its final observation and its episode statistics stay readable in the buffers for that step
/// (<see cref="VectorStepBuffers{TObservation}.FinalObservation"/>, <see cref="VectorStepBuffers{TObservation}.FinalEpisode"/>),
/// env i is reset at once, and the batch observation holds the first observation of its next episode.
/// A learner bootstraps a truncated episode from the final observation.
/// </para>
/// <para>
/// The vector owns its envs and disposes them. It is not safe to call from several threads at once.
/// When an env throws, the call fails with a <see cref="VectorEnvException"/> naming the env, and the vector
/// must be reset before the next step.
/// </para>
/// </remarks>
public interface IVectorEnv<TObservation, TAction> : IDisposable
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>The number of envs in the batch.</summary>
    int NumEnvs { get; }

    /// <summary>The observation space of one env; the batch observation holds <see cref="NumEnvs"/> of them, one after the other.</summary>
    Space<TObservation> SingleObservationSpace { get; }

    /// <summary>The action space of one env; the batch action holds <see cref="NumEnvs"/> of them, one after the other.</summary>
    Space<TAction> SingleActionSpace { get; }

    /// <summary>Creates buffers shaped for this vector; create them once and pass them to every call.</summary>
    VectorStepBuffers<TObservation> CreateBuffers();

    /// <summary>Resets every env and writes the first observations; clears rewards and end flags.</summary>
    /// <param name="buffers">Receives the batch observation.</param>
    /// <param name="seed">When given, env i is reseeded with <c>seed + i</c> (as Gymnasium does); when null, the envs' random sources go on as they are.</param>
    void Reset(VectorStepBuffers<TObservation> buffers, int? seed = null);

    /// <summary>Steps every env with its action, autoresetting the envs that end.</summary>
    /// <param name="actions">The batch action: <c>NumEnvs × SingleActionSpace.FlatSize</c> elements, env 0 first.</param>
    /// <param name="buffers">Receives observations, rewards, end flags and, for envs that ended, their final observation and statistics.</param>
    void Step(ReadOnlySpan<TAction> actions, VectorStepBuffers<TObservation> buffers);

    /// <summary>Whether every env can pause (see <see cref="Envs.IPausable{TObservation}"/>).</summary>
    bool CanPause { get; }

    /// <summary>Freezes every env's world; no Step may follow until <see cref="Resume"/>.</summary>
    void Pause();

    /// <summary>Unfreezes every env and writes their fresh observations into <paramref name="buffers"/>.</summary>
    void Resume(VectorStepBuffers<TObservation> buffers);
}
