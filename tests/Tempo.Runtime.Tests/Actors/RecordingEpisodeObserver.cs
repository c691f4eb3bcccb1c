using Tempo.Runtime.Actors;

namespace Tempo.Runtime.Tests.Actors;

/// <summary>Keeps every episode an actor reports.</summary>
internal sealed class RecordingEpisodeObserver : IEpisodeObserver
{
    public List<EpisodeEnded> Episodes { get; } = [];

    public void OnEpisodeEnded(in EpisodeEnded episode) => Episodes.Add(episode);
}
