namespace Tempo.Core.Timing;

/// <summary>Waits for a deadline to within tens of microseconds: sleeps until shortly before it, then spins.</summary>
/// <remarks>
/// <para>
/// A plain sleep is too coarse for a 20 ms tick: <see cref="Thread.Sleep(int)"/> takes whole milliseconds and on
/// Linux wakes 50–100 µs (idle) to several milliseconds (loaded) late. So the waiter sleeps in whole milliseconds
/// until <see cref="SpinThreshold"/> before the deadline, then spins on the clock with <see cref="SpinWait"/>, which
/// yields the core now and then (never <c>Sleep(1)</c>) so that a busy two-core machine still makes progress.
/// The spinning costs up to one <see cref="SpinThreshold"/> of CPU per wait.
/// </para>
/// <para>The clock must advance on its own (e.g. <see cref="TimeProvider.System"/>); with a clock that never moves the wait never ends.</para>
/// </remarks>
public sealed class PreciseDeadlineWaiter : IDeadlineWaiter
{
    private readonly long _spinTimestampTicks;
    private readonly double _timestampsPerMillisecond;

    /// <summary>Creates a waiter on <paramref name="timeProvider"/> (default <see cref="TimeProvider.System"/>).</summary>
    /// <param name="timeProvider">The clock the deadlines refer to.</param>
    /// <param name="spinThreshold">How long before the deadline sleeping stops and spinning starts; default 1 ms.</param>
    public PreciseDeadlineWaiter(TimeProvider? timeProvider = null, TimeSpan? spinThreshold = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
        SpinThreshold = spinThreshold ?? TimeSpan.FromMilliseconds(1);
        if (SpinThreshold < TimeSpan.Zero || SpinThreshold > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(spinThreshold), SpinThreshold, "The spin threshold must lie in [0, 1 s].");
        }

        _timestampsPerMillisecond = TimeProvider.TimestampFrequency / 1000.0;
        _spinTimestampTicks = (long)Math.Ceiling(SpinThreshold.TotalSeconds * TimeProvider.TimestampFrequency);
    }

    /// <inheritdoc/>
    public TimeProvider TimeProvider { get; }

    /// <summary>How long before the deadline the waiter stops sleeping and starts spinning.</summary>
    public TimeSpan SpinThreshold { get; }

    /// <inheritdoc/>
    public bool WaitUntil(long deadlineTimestamp, CancellationToken cancellationToken = default)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            var remaining = deadlineTimestamp - TimeProvider.GetTimestamp();
            if (remaining <= 0)
            {
                return true;
            }

            // Whole milliseconds only (the OS sleeps no finer); the rest is spun.
            var sleepMilliseconds = Math.Floor((remaining - _spinTimestampTicks) / _timestampsPerMillisecond);
            if (sleepMilliseconds >= 1)
            {
                Sleep((int)Math.Min(sleepMilliseconds, int.MaxValue), cancellationToken);
                continue;
            }

            // sleep1Threshold −1: yield (Sleep(0)/Yield) but never Sleep(1), which would overshoot by a millisecond.
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private static void Sleep(int milliseconds, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            // Lets Dispose of a slow-ticking env end the wait at once instead of after a whole period.
            cancellationToken.WaitHandle.WaitOne(milliseconds);
        }
        else
        {
            Thread.Sleep(milliseconds);
        }
    }
}
