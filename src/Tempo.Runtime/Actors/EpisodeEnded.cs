using Tempo.Algorithms.Experience;
using Tempo.Core.Envs;

namespace Tempo.Runtime.Actors;

/// <summary>An episode that finished in one of an actor's envs.</summary>
/// <param name="Actor">The actor.</param>
/// <param name="EnvIndex">The env within the actor's vector.</param>
/// <param name="Step">The env-step count that dates the episode: the actor's own count (all its envs) as the actor reports it; the run's global count once an asynchronous schedule relays it to the learner's thread.</param>
/// <param name="Statistics">Return, length and wall time.</param>
public readonly record struct EpisodeEnded(ActorId Actor, int EnvIndex, long Step, EpisodeStatistics Statistics);
