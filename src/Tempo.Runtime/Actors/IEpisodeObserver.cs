namespace Tempo.Runtime.Actors;

/// <summary>Receives each finished episode as soon as it ends, on the actor's thread.</summary>
public interface IEpisodeObserver
{
    /// <summary>Called once per finished episode; keep it short, the actor is waiting.</summary>
    void OnEpisodeEnded(in EpisodeEnded episode);
}
