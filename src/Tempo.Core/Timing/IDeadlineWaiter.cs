namespace Tempo.Core.Timing;

/// <summary>Blocks the calling thread until a deadline on a <see cref="System.TimeProvider"/>'s timestamp scale.</summary>
/// <remarks>
/// The seam between code that keeps a schedule (the real-time step clock, a live env's tick thread) and the way it
/// waits: <see cref="PreciseDeadlineWaiter"/> sleeps on the real clock; a test passes a waiter that moves a fake clock.
/// </remarks>
public interface IDeadlineWaiter
{
    /// <summary>The clock whose timestamps the deadlines are given in.</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>Returns once <see cref="TimeProvider"/>'s timestamp has reached <paramref name="deadlineTimestamp"/> (at once if it has).</summary>
    /// <param name="deadlineTimestamp">The deadline, a <see cref="System.TimeProvider.GetTimestamp"/> value.</param>
    /// <param name="cancellationToken">Ends the wait early.</param>
    /// <returns>True when the deadline was reached; false when the wait was cancelled first.</returns>
    bool WaitUntil(long deadlineTimestamp, CancellationToken cancellationToken = default);
}
