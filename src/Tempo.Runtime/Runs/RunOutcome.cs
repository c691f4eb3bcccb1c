using System.Globalization;
using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Runs;

/// <summary>What a training run achieved and where it left its results.</summary>
/// <param name="RunDirectory">The run folder (full path): config, metrics, TensorBoard events, checkpoint.</param>
/// <param name="GlobalStep">Env steps taken over the run's whole life (resumes included).</param>
/// <param name="WallTimeSeconds">Seconds the run trained over its whole life (resumes included).</param>
/// <param name="Episodes">Episodes finished over the run's whole life.</param>
/// <param name="ReturnMean">Mean return of the last 20 episodes, if any finished.</param>
/// <param name="SolvedAt">When the target return was reached, if it was.</param>
/// <param name="Cancelled">Whether the caller's cancellation stopped the run before its budget or target (the checkpoint still holds everything learned).</param>
public sealed record RunOutcome(string RunDirectory, long GlobalStep, double WallTimeSeconds, long Episodes, double? ReturnMean, EpisodeReport? SolvedAt, bool Cancelled)
{
    /// <summary>The run's checkpoint file.</summary>
    public string CheckpointPath => RunFolder.CheckpointPath(RunDirectory);

    /// <summary>The target return the run was given, if any.</summary>
    public double? TargetReturn { get; init; }

    /// <summary>The mean return of the last 20 episodes at <see cref="SolvedAt"/>, if the target was reached.</summary>
    public double? SolvedReturnMean { get; init; }

    /// <summary>
    /// The run's result in one line, as <c>tempo train</c> prints it: whether it was interrupted, solved (at which step,
    /// with which mean, and where it stopped) or not, then steps, time, episodes and the folder.
    /// </summary>
    public string Summary
    {
        get
        {
            var mean = ReturnMean is { } m ? m.ToString("F2", CultureInfo.InvariantCulture) : "n/a";
            var totals = string.Create(CultureInfo.InvariantCulture, $"{GlobalStep} steps in {WallTimeSeconds:F2} s; {Episodes} episodes; last-20 mean return {mean}; run folder {RunDirectory}");
            if (SolvedAt is { } solved && TargetReturn is { } target)
            {
                // The step the target was reached at and the step training stopped at differ by the rest of that rollout or segment.
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"solved at step {solved.GlobalStep} (last-20 mean {SolvedReturnMean:F2} >= {target:G}); stopped at step {GlobalStep}: {totals}");
            }

            if (Cancelled)
            {
                return $"interrupted: {totals}; continue with --resume {RunDirectory}";
            }

            return TargetReturn is { } missed
                ? string.Create(CultureInfo.InvariantCulture, $"not solved (last-20 mean {mean} < {missed:G}): {totals}")
                : $"trained {totals}";
        }
    }
}
