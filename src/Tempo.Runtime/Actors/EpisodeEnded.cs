using Tempo.Algorithms.Experience;
using Tempo.Core.Envs;

namespace Tempo.Runtime.Actors;

/// <summary>An episode that finished in one of an actor's envs.</summary>
/// <param name="Actor">The actor.</param>
/// <param name="EnvIndex">The env within the actor's vector.</param>
/// <param name="ActorSteps">The actor's env-step count (all its envs) when the episode ended.</param>
/// <param name="Statistics">Return, length and wall time.</param>
public readonly record struct EpisodeEnded(ActorId Actor, int EnvIndex, long ActorSteps, EpisodeStatistics Statistics);
