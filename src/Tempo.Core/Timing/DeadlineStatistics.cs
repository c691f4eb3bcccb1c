namespace Tempo.Core.Timing;

/// <summary>How well an agent kept a <see cref="RealTimeClock{TObservation, TAction}"/>'s deadlines.</summary>
/// <param name="Steps">Steps taken since the clock was created.</param>
/// <param name="Overruns">Steps that were called after their deadline and so stretched their period.</param>
/// <param name="MaxLateness">The largest overrun: how long after its deadline a step was called.</param>
/// <param name="WindowLateness">Lateness of the late steps in the current window (punctual steps are not included).</param>
/// <param name="RunLateness">Lateness of every late step since creation.</param>
public readonly record struct DeadlineStatistics(
    long Steps,
    long Overruns,
    TimeSpan MaxLateness,
    DurationSummary WindowLateness,
    DurationSummary RunLateness)
{
    /// <summary>The fraction of steps that overran their deadline; 0 before the first step.</summary>
    public double OverrunFraction => Steps == 0 ? 0 : (double)Overruns / Steps;
}
