namespace Tempo.Core.Envs.Live;

/// <summary>An env whose world advances on wall-clock time whether or not actions arrive; exposes its world clock.</summary>
/// <remarks>
/// Find it anywhere in a wrapper stack with <c>env.TryFind&lt;ILiveEnv&gt;(out var live)</c>. The action gaps are
/// recorded by a wrapper any env can wear (<see cref="Wrappers.RecordActionGaps{TObservation, TAction}"/>), found as <see cref="IActionGapSource"/>.
/// </remarks>
public interface ILiveEnv
{
    /// <summary>World ticks since the env was created: monotonic, never reset, frozen while paused or ended.</summary>
    long TickCount { get; }

    /// <summary>The wall-clock time between two world ticks.</summary>
    TimeSpan TickPeriod { get; }

    /// <summary>Seconds of world time per wall-clock second: 1 for a world that runs at wall-clock speed, more for a game told to run faster.</summary>
    double WorldSpeed => 1;

    /// <summary>World time the ticks so far covered: <see cref="TickCount"/> ticks of <see cref="TickPeriod"/> × <see cref="WorldSpeed"/> each; it stands still while paused.</summary>
    TimeSpan WorldTime => TickPeriod * WorldSpeed * TickCount;

    /// <summary>World ticks that ran a whole period or more after their deadline (the machine could not keep the world's clock).</summary>
    long LateTickCount { get; }
}
