using System.Globalization;
using System.Text;

namespace Tempo.Runtime.Metrics;

/// <summary>Shows training progress in a terminal: one line redrawn in place, or plain lines when output is redirected.</summary>
/// <remarks>
/// <para>The line holds the global step, SPS, finished episodes, the last-20 return mean, and, when the run has them,
/// the last-20 mean of the farthest x reached (envs exposing positions), game crashes and hangs (envs running a game; each new fault's cause is printed on a line of its own),
/// the action gap p50/p99/max, late world ticks (deadline overruns), policy lag mean/max, dropped segments (stale and
/// queue full) and learner updates per second, plus the wall time. In place, it is redrawn with a carriage return at most
/// once per redraw interval (250 ms by default); a report that arrives sooner is shown by a later redraw or on dispose.
/// As plain lines (for logs and pipes), every report is one line.</para>
/// <para>Given the run's total steps, the line drawn in place starts with a bar, the steps out of the total and the
/// percentage done, and ends with the estimated time left (from the average rate over the reports this display has
/// seen, steadier than the last report's SPS). Plain lines stay as they are, so logs keep one format.</para>
/// <para>The sink does not own its writer: disposing it ends the progress line but leaves the writer open.</para>
/// </remarks>
public sealed class ConsoleProgressSink : IMetricsSink
{
    private const int BarWidth = 20;

    private readonly TextWriter _writer;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _redrawInterval;
    private readonly StringBuilder _line = new();
    private readonly long? _totalSteps;
    private (long Step, double WallTimeSeconds)? _firstReport;
    private TrainingReport? _latest;
    private bool _latestShown;
    private long? _lastRedrawTimestamp;
    private int _shownLength;
    private string? _faultShown;
    private bool _disposed;

    /// <summary>Creates a progress display on <paramref name="writer"/>.</summary>
    /// <param name="writer">Where to write, usually <see cref="Console.Out"/>.</param>
    /// <param name="redrawInPlace">True to redraw one line with carriage returns (a terminal); false for one plain line per report.</param>
    /// <param name="timeProvider">The clock that bounds the redraw rate.</param>
    /// <param name="redrawInterval">The shortest time between two redraws in place; 250 ms when null.</param>
    /// <param name="totalSteps">The steps the run will take (a bar and the time left are drawn in place), or null when unknown.</param>
    public ConsoleProgressSink(TextWriter writer, bool redrawInPlace, TimeProvider timeProvider, TimeSpan? redrawInterval = null, long? totalSteps = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (totalSteps is { } total)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total, nameof(totalSteps));
        }

        _totalSteps = totalSteps;
        var interval = redrawInterval ?? TimeSpan.FromMilliseconds(250);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero, nameof(redrawInterval));
        _writer = writer;
        RedrawsInPlace = redrawInPlace;
        _timeProvider = timeProvider;
        _redrawInterval = interval;
    }

    /// <summary>Whether the display redraws one line in place (otherwise it writes plain lines).</summary>
    public bool RedrawsInPlace { get; }

    /// <summary>Creates a display on standard output that redraws in place unless output is redirected or <paramref name="plainLines"/> is set.</summary>
    public static ConsoleProgressSink ForConsole(TimeProvider timeProvider, bool plainLines = false) =>
        new(Console.Out, redrawInPlace: !plainLines && !Console.IsOutputRedirected, timeProvider);

    /// <inheritdoc/>
    public void Write(TrainingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (report.LastGameFault is { } fault && !ReferenceEquals(fault, _faultShown))
        {
            // Each fault once, on its own line: a count alone does not say whether a game crashed or was starved. Compared
            // by reference: every fault is a new string, and two envs may report the same text.
            _faultShown = fault;
            WriteLine("game fault: " + fault);
        }

        if (!RedrawsInPlace)
        {
            Format(report);
            _line.Append('\n');
            _writer.Write(_line);
            _writer.Flush();
            return;
        }

        _firstReport ??= (report.GlobalStep, report.WallTimeSeconds);
        _latest = report;
        _latestShown = false;
        if (_lastRedrawTimestamp is not { } last || _timeProvider.GetElapsedTime(last) >= _redrawInterval)
        {
            Redraw();
        }
    }

    /// <summary>Does nothing: progress is shown per report.</summary>
    public void WriteEpisode(EpisodeReport episode) => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Writes a line of text (such as the <c>solved:</c> line) on its own line, keeping the progress line below it.</summary>
    public void WriteLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (RedrawsInPlace && _shownLength > 0)
        {
            // Wipe the progress line, print the message in its place, and draw the progress again underneath.
            _writer.Write('\r');
            _writer.Write(new string(' ', _shownLength));
            _writer.Write('\r');
            _shownLength = 0;
            _writer.Write(message);
            _writer.Write('\n');
            Redraw();
            return;
        }

        _writer.Write(message);
        _writer.Write('\n');
        _writer.Flush();
    }

    /// <summary>Shows the latest report if it was held back, and ends the progress line.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (RedrawsInPlace)
        {
            if (!_latestShown && _latest is not null)
            {
                Redraw();
            }

            if (_shownLength > 0)
            {
                _writer.Write('\n');
                _shownLength = 0;
            }
        }

        _writer.Flush();
    }

    private void Redraw()
    {
        _lastRedrawTimestamp = _timeProvider.GetTimestamp();
        if (_latest is null)
        {
            _writer.Flush();
            return;
        }

        Format(_latest);
        var length = _line.Length;

        // Blank out what is left of a longer previous line.
        _line.Append(' ', Math.Max(0, _shownLength - length));
        _writer.Write('\r');
        _writer.Write(_line);
        _writer.Flush();
        _shownLength = length;
        _latestShown = true;
    }

    private void Format(TrainingReport report)
    {
        var culture = CultureInfo.InvariantCulture;
        _line.Clear();
        var total = RedrawsInPlace ? _totalSteps : null;
        if (total is { } bar)
        {
            AppendBar(report, bar);
        }
        else
        {
            _line.Append(culture, $"step {report.GlobalStep}");
        }

        _line.Append(culture, $" | sps {report.StepsPerSecond:F0} | episodes {report.Episodes}");
        if (report.EpisodicReturnMean is { } returnMean)
        {
            _line.Append(culture, $" | return {returnMean:F2}");
        }

        if (report.EpisodicXReachedMean is { } xReached)
        {
            _line.Append(culture, $" | x reached {xReached:F0}");
        }

        if (report.ActionGapP99Milliseconds is { } gap)
        {
            _line.Append(culture, $" | gap p50/p99/max {Optional(report.ActionGapP50Milliseconds)}/{gap:F1}/{Optional(report.ActionGapMaxMilliseconds)} ms");
        }

        if (report.DeadlineOverruns is { } overruns)
        {
            _line.Append(culture, $" | late ticks {overruns}");
        }

        if (report.GameCrashes is { } crashes)
        {
            _line.Append(culture, $" | crashes/hangs {crashes}/{report.GameHangs ?? 0}");
        }

        if (report.PolicyLagMean is { } lag)
        {
            _line.Append(culture, $" | lag {lag:F2}");
            if (report.PolicyLagMax is { } maxLag)
            {
                _line.Append(culture, $"/{maxLag}");
            }
        }

        if (report.SegmentsDroppedStale is not null || report.SegmentsDroppedQueueFull is not null)
        {
            _line.Append(culture, $" | dropped {report.SegmentsDroppedStale ?? 0} stale/{report.SegmentsDroppedQueueFull ?? 0} full");
        }

        if (report.LearnerUpdatesPerSecond is { } updates)
        {
            _line.Append(culture, $" | upd/s {updates:F1}");
        }

        _line.Append(culture, $" | {report.WallTimeSeconds:F1} s");
        if (total is { } left)
        {
            AppendTimeLeft(report, left);
        }
    }

    /// <summary>The bar, the percentage and the steps out of the total (in place of <c>step N</c>), appended without allocating.</summary>
    private void AppendBar(TrainingReport report, long total)
    {
        var done = Math.Clamp((double)report.GlobalStep / total, 0, 1);
        var filled = (int)(done * BarWidth);
        _line.Append('[').Append('#', filled).Append('-', BarWidth - filled).Append("] ");
        _line.Append(CultureInfo.InvariantCulture, $"{done * 100:F0}% {report.GlobalStep}/{total}");
    }

    /// <summary>The time left at the average rate over the reports this display has seen, as <c>ETA h:mm:ss</c>.</summary>
    private void AppendTimeLeft(TrainingReport report, long total)
    {
        var (firstStep, firstWall) = _firstReport!.Value;
        var elapsed = report.WallTimeSeconds - firstWall;
        var rate = elapsed > 0 && report.GlobalStep > firstStep ? (report.GlobalStep - firstStep) / elapsed : report.StepsPerSecond;
        if (rate > 0 && report.GlobalStep < total)
        {
            var left = TimeSpan.FromSeconds(Math.Min((total - report.GlobalStep) / rate, TimeSpan.FromDays(9999).TotalSeconds));
            _line.Append(CultureInfo.InvariantCulture, $" | ETA {(int)left.TotalHours}:{left.Minutes:D2}:{left.Seconds:D2}");
        }
    }

    private static string Optional(double? milliseconds) =>
        milliseconds is { } value ? value.ToString("F1", CultureInfo.InvariantCulture) : "-";
}
