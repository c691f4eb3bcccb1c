using Tempo.Runtime.Actors;

namespace Tempo.Runtime.Schedules;

/// <summary>Calls several callbacks in order, so that metrics, checkpoints and user hooks can all listen to one run.</summary>
public sealed class CompositeTrainingCallbacks : ITrainingCallbacks
{
    private readonly ITrainingCallbacks[] _callbacks;

    /// <summary>Combines <paramref name="callbacks"/>; they are called in the order given.</summary>
    public CompositeTrainingCallbacks(params IEnumerable<ITrainingCallbacks> callbacks)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        _callbacks = [.. callbacks];
        if (Array.IndexOf(_callbacks, null) >= 0)
        {
            throw new ArgumentException("A callback is null.", nameof(callbacks));
        }
    }

    /// <inheritdoc/>
    public void OnEpisodeEnded(in EpisodeEnded episode)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnEpisodeEnded(episode);
        }
    }

    /// <inheritdoc/>
    public void OnRolloutEnded(in RolloutEnded rollout)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnRolloutEnded(rollout);
        }
    }

    /// <inheritdoc/>
    public void OnUpdateStarting(in UpdateStarting update)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnUpdateStarting(update);
        }
    }

    /// <inheritdoc/>
    public void OnUpdateFinished(in UpdateFinished update)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnUpdateFinished(update);
        }
    }
}
