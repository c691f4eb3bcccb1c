using Tempo.Runtime.Metrics;

namespace Tempo.Cli.Training;

/// <summary>What a training run achieved.</summary>
/// <param name="GlobalStep">Env steps taken.</param>
/// <param name="WallTimeSeconds">Seconds the run took.</param>
/// <param name="Episodes">Episodes finished.</param>
/// <param name="ReturnMean">Mean return of the last 20 episodes.</param>
/// <param name="SolvedAt">When the target return was reached, if it was.</param>
internal sealed record TrainOutcome(long GlobalStep, double WallTimeSeconds, long Episodes, double? ReturnMean, EpisodeReport? SolvedAt);
