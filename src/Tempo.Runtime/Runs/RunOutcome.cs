using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Runs;

/// <summary>What a training run achieved and where it left its results.</summary>
/// <param name="RunDirectory">The run folder (full path): config, metrics, TensorBoard events, checkpoint.</param>
/// <param name="GlobalStep">Env steps taken over the run's whole life (resumes included).</param>
/// <param name="WallTimeSeconds">Seconds this process trained.</param>
/// <param name="Episodes">Episodes finished over the run's whole life.</param>
/// <param name="ReturnMean">Mean return of the last 20 episodes, if any finished.</param>
/// <param name="SolvedAt">When the target return was reached, if it was.</param>
/// <param name="Cancelled">Whether the caller's cancellation stopped the run before its budget or target (the checkpoint still holds everything learned).</param>
public sealed record RunOutcome(string RunDirectory, long GlobalStep, double WallTimeSeconds, long Episodes, double? ReturnMean, EpisodeReport? SolvedAt, bool Cancelled)
{
    /// <summary>The run's checkpoint file.</summary>
    public string CheckpointPath => RunFolder.CheckpointPath(RunDirectory);
}
