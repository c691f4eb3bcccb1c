namespace Tempo.Core.Envs.Live;

/// <summary>How a live env's world clock runs: tick rate, world speed, how long an action is held, how many action gaps the window keeps.</summary>
/// <remarks>
/// Rates and durations here are in world time. A world that runs faster than the wall clock (a game told to, such as
/// SuperTux's <c>set_game_speed</c>) states its <see cref="WorldSpeed"/>, and the wall-clock period, the hold time and
/// the world time the env accounts (<see cref="ILiveEnv.WorldTime"/>) follow from it; at speed 1 world and wall time agree.
/// </remarks>
public sealed record LiveTickOptions
{
    /// <summary>World ticks per second of world time (per wall-clock second at <see cref="WorldSpeed"/> 1); default 50 Hz. Must lie in [0.01, 10 000], and so must the wall-clock rate it makes.</summary>
    public double TickRateHertz { get; init; } = 50;

    /// <summary>Seconds of world time per wall-clock second; default 1. A game run faster or slower than normal states its factor here. Must lie in [0.01, 100].</summary>
    public double WorldSpeed { get; init; } = 1;

    /// <summary>How long (world time) the most recent action keeps being applied without a new one; then the world gets no input. Null (the default) means five ticks.</summary>
    public TimeSpan? HoldTime { get; init; }

    /// <summary>How many recent action gaps the windowed statistics cover, for the <see cref="Wrappers.RecordActionGaps{TObservation, TAction}"/> the registry puts on the env.</summary>
    public int ActionGapWindow { get; init; } = 1024;

    /// <summary>The wall-clock time between two ticks, 1 / (<see cref="TickRateHertz"/> × <see cref="WorldSpeed"/>).</summary>
    public TimeSpan TickPeriod => TimeSpan.FromSeconds(1 / (TickRateHertz * WorldSpeed));

    /// <summary>The world time one tick covers, 1 / <see cref="TickRateHertz"/>.</summary>
    public TimeSpan WorldTickPeriod => TimeSpan.FromSeconds(1 / TickRateHertz);

    /// <summary>The hold time in effect, in wall-clock time: <see cref="HoldTime"/> (or five ticks when it is null) divided by <see cref="WorldSpeed"/>.</summary>
    public TimeSpan EffectiveHoldTime => HoldTime is { } hold ? hold / WorldSpeed : 5 * TickPeriod;

    /// <summary>Throws if a setting is out of range.</summary>
    public void Validate()
    {
        if (!double.IsFinite(TickRateHertz) || TickRateHertz < 0.01 || TickRateHertz > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(TickRateHertz), TickRateHertz, $"{nameof(TickRateHertz)} must lie in [0.01, 10000].");
        }

        if (!double.IsFinite(WorldSpeed) || WorldSpeed < 0.01 || WorldSpeed > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(WorldSpeed), WorldSpeed, $"{nameof(WorldSpeed)} must lie in [0.01, 100].");
        }

        if (TickRateHertz * WorldSpeed is < 0.01 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(TickRateHertz), TickRateHertz, $"{nameof(TickRateHertz)} × {nameof(WorldSpeed)} ({TickRateHertz * WorldSpeed} wall-clock ticks per second) must lie in [0.01, 10000].");
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
