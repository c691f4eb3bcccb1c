namespace Tempo.Core.Timing;

/// <summary>The settings of a <see cref="RealTimeClock{TObservation, TAction}"/>.</summary>
public sealed record RealTimeClockOptions
{
    /// <summary>The wall-clock length of one agent step; default 50 ms.</summary>
    public TimeSpan StepPeriod { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How many recent late steps the windowed lateness percentiles cover.</summary>
    public int LatenessWindow { get; init; } = 1024;

    /// <summary>Throws if a setting is out of range.</summary>
    public void Validate()
    {
        if (StepPeriod <= TimeSpan.Zero || StepPeriod > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(StepPeriod), StepPeriod, $"{nameof(StepPeriod)} must lie in (0, 1 h].");
        }

        if (LatenessWindow <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LatenessWindow), LatenessWindow, $"{nameof(LatenessWindow)} must be positive.");
        }
    }
}
