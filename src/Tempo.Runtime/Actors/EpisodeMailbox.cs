using System.Collections.Concurrent;

namespace Tempo.Runtime.Actors;

/// <summary>Carries finished episodes from actor threads to one consumer thread (the learner's), which delivers them to callbacks.</summary>
public sealed class EpisodeMailbox : IEpisodeObserver
{
    private readonly ConcurrentQueue<EpisodeEnded> _episodes = new();

    /// <inheritdoc/>
    public void OnEpisodeEnded(in EpisodeEnded episode) => _episodes.Enqueue(episode);

    /// <summary>Takes the oldest queued episode, if any.</summary>
    public bool TryDequeue(out EpisodeEnded episode) => _episodes.TryDequeue(out episode);
}
