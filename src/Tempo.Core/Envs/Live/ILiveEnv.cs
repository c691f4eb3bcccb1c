namespace Tempo.Core.Envs.Live;

/// <summary>An env whose world advances on wall-clock time whether or not actions arrive; exposes its world clock and action gaps.</summary>
/// <remarks>Find it anywhere in a wrapper stack with <c>env.TryFind&lt;ILiveEnv&gt;(out var live)</c> to report the action gap.</remarks>
public interface ILiveEnv
{
    /// <summary>World ticks since the env was created: monotonic, never reset, frozen while paused or ended.</summary>
    long TickCount { get; }

    /// <summary>The wall-clock time between two world ticks.</summary>
    TimeSpan TickPeriod { get; }

    /// <summary>World ticks that ran a whole period or more after their deadline (the machine could not keep the world's clock).</summary>
    long LateTickCount { get; }

    /// <summary>The action gaps recorded so far (wall-clock time between consecutive actions reaching the env).</summary>
    ActionGapStatistics ActionGaps { get; }

    /// <summary>Starts a new window for <see cref="ActionGapStatistics.Window"/>; the run figures are kept.</summary>
    void ResetActionGapWindow();
}
