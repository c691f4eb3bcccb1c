using Tempo.Core.Envs;

namespace Tempo.Runtime.Metrics;

/// <summary>One finished episode as the training run saw it: when it ended and what it scored.</summary>
/// <param name="GlobalStep">Environment steps taken so far (all envs and actors) when the episode ended.</param>
/// <param name="WallTimeSeconds">Seconds since training started when the episode ended.</param>
/// <param name="Statistics">Return, length and duration of the episode.</param>
public readonly record struct EpisodeReport(long GlobalStep, double WallTimeSeconds, EpisodeStatistics Statistics);
