namespace Tempo.Core.Envs.Live;

/// <summary>Something that records an env's action gaps: the wall-clock time between consecutive actions reaching it.</summary>
/// <remarks>Find it anywhere in a wrapper stack with <c>env.TryFind&lt;IActionGapSource&gt;(out var gaps)</c> to report the action gap.</remarks>
public interface IActionGapSource
{
    /// <summary>The action gaps recorded so far; safe to read from any thread.</summary>
    ActionGapStatistics ActionGaps { get; }

    /// <summary>Starts a new window for <see cref="ActionGapStatistics.Window"/>; the run figures are kept.</summary>
    void ResetActionGapWindow();
}
