using Tempo.Runtime.Actors;

namespace Tempo.Runtime.Schedules;

/// <summary>Typed hook points of a training run; implement only the ones you need (the others do nothing).</summary>
/// <remarks>
/// In the synchronous schedule the order per iteration is exactly: last Step of the rollout →
/// <see cref="OnRolloutEnded"/> → Pause (when the envs can pause) → <see cref="OnUpdateStarting"/> → learner
/// update → <see cref="OnUpdateFinished"/> → Resume → first Step of the next rollout. Episodes are reported by
/// <see cref="IEpisodeObserver.OnEpisodeEnded"/> on the actor's thread the moment they end.
/// </remarks>
public interface ITrainingCallbacks : IEpisodeObserver
{
    /// <summary>A rollout was collected; the envs are not paused yet.</summary>
    void OnRolloutEnded(in RolloutEnded rollout)
    {
    }

    /// <summary>The learner is about to update; the envs are paused if they can pause.</summary>
    void OnUpdateStarting(in UpdateStarting update)
    {
    }

    /// <summary>The learner finished an update and the actors have the new snapshot; the envs are still paused.</summary>
    void OnUpdateFinished(in UpdateFinished update)
    {
    }

    /// <inheritdoc/>
    void IEpisodeObserver.OnEpisodeEnded(in EpisodeEnded episode)
    {
    }
}
