using BenchmarkDotNet.Attributes;
using Tempo.Core.Timing;

namespace Tempo.Benchmarks.Timing;

/// <summary>
/// How late a wait for a deadline 5 ms or 20 ms (a 50 Hz tick) away returns: the time of one operation minus the delay is the lateness.
/// Compares <see cref="PreciseDeadlineWaiter"/> (sleep, then spin the last millisecond) with a plain
/// <see cref="Thread.Sleep(int)"/>, the baseline a live env's tick loop would otherwise have.
/// </summary>
[MinColumn]
[MaxColumn]
[MedianColumn]
[Q3Column]
public class DeadlineWaitBenchmarks
{
    private readonly PreciseDeadlineWaiter _waiter = new();
    private readonly TimeProvider _time = TimeProvider.System;

    /// <summary>The delay to the deadline, in milliseconds.</summary>
    [Params(5, 20)]
    public int DelayMilliseconds { get; set; }

    /// <summary>Sleeps whole milliseconds, as a naive tick loop does.</summary>
    [Benchmark(Baseline = true)]
    public void ThreadSleep() => Thread.Sleep(DelayMilliseconds);

    /// <summary>Waits for a deadline <see cref="DelayMilliseconds"/> away with the precise waiter.</summary>
    [Benchmark]
    public bool PreciseWait() =>
        _waiter.WaitUntil(_time.GetTimestamp() + (long)(DelayMilliseconds / 1000.0 * _time.TimestampFrequency));
}
