namespace Tempo.Core.Envs;

/// <summary>Where an env is in its episode life cycle; used to reject calls made out of order.</summary>
internal enum EpisodePhase
{
    NeverReset,
    Running,
    Ended,
    Disposed,
}
