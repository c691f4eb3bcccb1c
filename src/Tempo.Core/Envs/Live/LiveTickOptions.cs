namespace Tempo.Core.Envs.Live;

/// <summary>How a live env's world clock runs: tick rate, how long an action is held, how many action gaps the window keeps.</summary>
public sealed record LiveTickOptions
{
    /// <summary>World ticks per wall-clock second; default 50 Hz. Must lie in [0.01, 10 000].</summary>
    public double TickRateHertz { get; init; } = 50;

    /// <summary>How long the most recent action keeps being applied without a new one; then the world gets no input. Null (the default) means five tick periods.</summary>
    public TimeSpan? HoldTime { get; init; }

    /// <summary>How many recent action gaps the windowed statistics cover, for the <see cref="Wrappers.RecordActionGaps{TObservation, TAction}"/> the registry puts on the env.</summary>
    public int ActionGapWindow { get; init; } = 1024;

    /// <summary>The wall-clock time between two ticks, 1 / <see cref="TickRateHertz"/>.</summary>
    public TimeSpan TickPeriod => TimeSpan.FromSeconds(1 / TickRateHertz);

    /// <summary>The hold time in effect: <see cref="HoldTime"/>, or five tick periods when it is null.</summary>
    public TimeSpan EffectiveHoldTime => HoldTime ?? (5 * TickPeriod);

    /// <summary>Throws if a setting is out of range.</summary>
    public void Validate()
    {
        if (!double.IsFinite(TickRateHertz) || TickRateHertz < 0.01 || TickRateHertz > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(TickRateHertz), TickRateHertz, $"{nameof(TickRateHertz)} must lie in [0.01, 10000].");
        }

        if (HoldTime is { } hold && hold <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HoldTime), hold, $"{nameof(HoldTime)} must be positive (TimeSpan.MaxValue holds forever).");
        }

        if (ActionGapWindow <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ActionGapWindow), ActionGapWindow, $"{nameof(ActionGapWindow)} must be positive.");
        }
    }
}
