using Tempo.Core.Envs;

namespace Tempo.Algorithms.Experience;

/// <summary>An episode that finished during a segment.</summary>
/// <param name="EnvIndex">The env within the actor's vector, <c>[0, N)</c>.</param>
/// <param name="Statistics">Return, length and wall time.</param>
public readonly record struct SegmentEpisode(int EnvIndex, EpisodeStatistics Statistics);
