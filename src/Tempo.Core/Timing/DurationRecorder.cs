using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Tempo.Core.Timing;

/// <summary>Records durations (action gaps, lateness) without allocating and summarizes them over a recent window and over the whole run.</summary>
/// <remarks>
/// <para>
/// The window is a ring of the last <see cref="WindowCapacity"/> durations; its percentiles are exact (linear
/// interpolation between the two nearest ranks, NumPy's default), computed when a summary is asked for.
/// The run keeps every duration since creation in a <see cref="DurationHistogram"/>: exact count, mean and
/// maximum, percentiles within 0.8 %. <see cref="ResetWindow"/> starts a new window (e.g. after each report).
/// </para>
/// <para>Thread-safe: one thread may record while another summarizes (a metrics reporter).</para>
/// </remarks>
public sealed class DurationRecorder
{
    private readonly Lock _lock = new();
    private readonly long[] _window;
    private readonly long[] _sorted;
    private readonly DurationHistogram _runHistogram = new();
    private int _windowNext;
    private int _windowCount;
    private long _runCount;
    private long _runSum;
    private long _runMax;

    /// <summary>Creates a recorder whose window holds the last <paramref name="windowCapacity"/> durations.</summary>
    public DurationRecorder(int windowCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowCapacity);
        _window = new long[windowCapacity];
        _sorted = new long[windowCapacity];
    }

    /// <summary>How many of the most recent durations the window holds.</summary>
    public int WindowCapacity => _window.Length;

    /// <summary>How many durations were recorded since creation.</summary>
    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _runCount;
            }
        }
    }

    /// <summary>Records one duration; it must not be negative.</summary>
    public void Record(TimeSpan duration)
    {
        var ticks = duration.Ticks;
        if (ticks < 0)
        {
            ThrowNegative(duration);
        }

        lock (_lock)
        {
            _window[_windowNext] = ticks;
            _windowNext = _windowNext + 1 == _window.Length ? 0 : _windowNext + 1;
            _windowCount = Math.Min(_windowCount + 1, _window.Length);

            _runHistogram.Add(ticks);
            _runCount++;
            _runSum += ticks;
            _runMax = Math.Max(_runMax, ticks);
        }
    }

    /// <summary>Empties the window; the run summary is kept.</summary>
    public void ResetWindow()
    {
        lock (_lock)
        {
            _windowCount = 0;
            _windowNext = 0;
        }
    }

    /// <summary>Forgets everything: window and run.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _windowCount = 0;
            _windowNext = 0;
            _runHistogram.Clear();
            _runCount = 0;
            _runSum = 0;
            _runMax = 0;
        }
    }

    /// <summary>Summarizes the window (exact percentiles) and the run (histogram percentiles) at one instant.</summary>
    /// <param name="window">The durations in the current window.</param>
    /// <param name="run">Every duration since creation (or <see cref="Clear"/>).</param>
    public void Summarize(out DurationSummary window, out DurationSummary run)
    {
        lock (_lock)
        {
            window = SummarizeWindow();
            run = SummarizeRun();
        }
    }

    private DurationSummary SummarizeWindow()
    {
        var n = _windowCount;
        if (n == 0)
        {
            return default;
        }

        // The ring's valid entries are its first n slots while it is filling, all of it once full: order does not matter.
        var sorted = _sorted.AsSpan(0, n);
        _window.AsSpan(0, n).CopyTo(sorted);
        sorted.Sort();
        long sum = 0;
        foreach (var ticks in sorted)
        {
            sum += ticks;
        }

        return new DurationSummary(
            n,
            TimeSpan.FromTicks(sum / n),
            TimeSpan.FromTicks(Interpolate(sorted, 0.50)),
            TimeSpan.FromTicks(Interpolate(sorted, 0.99)),
            TimeSpan.FromTicks(sorted[^1]));
    }

    private DurationSummary SummarizeRun()
    {
        if (_runCount == 0)
        {
            return default;
        }

        // Bucket midpoints can exceed the largest value seen; the maximum is exact, so cap them by it.
        return new DurationSummary(
            _runCount,
            TimeSpan.FromTicks(_runSum / _runCount),
            TimeSpan.FromTicks(Math.Min(_runHistogram.Percentile(0.50, _runCount), _runMax)),
            TimeSpan.FromTicks(Math.Min(_runHistogram.Percentile(0.99, _runCount), _runMax)),
            TimeSpan.FromTicks(_runMax));
    }

    /// <summary>The <paramref name="p"/>-quantile of sorted values, interpolating linearly between ranks (NumPy's <c>percentile</c> default).</summary>
    private static long Interpolate(ReadOnlySpan<long> sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        var fraction = position - lower;
        return (long)Math.Round(sorted[lower] + ((sorted[upper] - sorted[lower]) * fraction));
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNegative(TimeSpan duration) =>
        throw new ArgumentOutOfRangeException(nameof(duration), duration, "A recorded duration must not be negative.");
}
