using System.Globalization;

namespace Tempo.Runtime.Metrics;

/// <summary>Decides when a run has solved its env: the mean return of the last 20 episodes first reaches a target.</summary>
/// <remarks>
/// It is fed every finished episode, so the step and wall time it reports are those of the episode that
/// completed the solving window, not of the next periodic report. It needs a full window: one lucky early
/// episode is not "the last 20". The peers' "wall s to 475" (benchmarks/peers/RESULTS.md) is measured the same way.
/// </remarks>
public sealed class SolvedDetector
{
    private readonly EpisodeWindow _window;

    /// <summary>Creates a detector for the given target return over a window of the last <paramref name="windowSize"/> episodes.</summary>
    public SolvedDetector(double targetReturn, int windowSize = EpisodeWindow.DefaultCapacity)
    {
        if (!double.IsFinite(targetReturn))
        {
            throw new ArgumentOutOfRangeException(nameof(targetReturn), targetReturn, "Target return must be finite.");
        }

        TargetReturn = targetReturn;
        _window = new EpisodeWindow(windowSize);
    }

    /// <summary>The return the window mean has to reach.</summary>
    public double TargetReturn { get; }

    /// <summary>Whether the target has been reached.</summary>
    public bool IsSolved => SolvedAt is not null;

    /// <summary>The episode whose end brought the window mean to the target; null until then.</summary>
    public EpisodeReport? SolvedAt { get; private set; }

    /// <summary>The mean return of the last episodes when the target was reached; null until then.</summary>
    public double? SolvedReturnMean { get; private set; }

    /// <summary>The one line the CLI prints when solved: <c>solved: step=&lt;global step&gt; wall_s=&lt;seconds, 2 decimals&gt;</c>.</summary>
    /// <exception cref="InvalidOperationException">The target has not been reached yet.</exception>
    public string SolvedLine => SolvedAt is { } episode
        ? FormatSolvedLine(episode.GlobalStep, episode.WallTimeSeconds)
        : throw new InvalidOperationException($"The target return {TargetReturn} has not been reached yet.");

    /// <summary>Adds a finished episode; returns true exactly once, for the episode that first brings the full window's mean to the target.</summary>
    public bool Observe(EpisodeReport episode)
    {
        if (IsSolved)
        {
            return false;
        }

        _window.Add(episode.Statistics);
        if (!_window.IsFull || _window.ReturnMean < TargetReturn)
        {
            return false;
        }

        SolvedAt = episode;
        SolvedReturnMean = _window.ReturnMean;
        return true;
    }

    /// <summary>Formats <c>solved: step=&lt;global step&gt; wall_s=&lt;seconds with 2 decimals&gt;</c> in the invariant culture.</summary>
    public static string FormatSolvedLine(long globalStep, double wallTimeSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"solved: step={globalStep} wall_s={wallTimeSeconds:F2}");
}
