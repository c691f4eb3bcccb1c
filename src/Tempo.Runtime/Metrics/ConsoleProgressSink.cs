using System.Globalization;
using System.Text;

namespace Tempo.Runtime.Metrics;

/// <summary>Shows training progress in a terminal: one line redrawn in place, or plain lines when output is redirected.</summary>
/// <remarks>
/// <para>The line holds the global step, SPS, finished episodes, the last-20 return mean, and, when the run has them,
/// the action gap p50/p99/max, late world ticks (deadline overruns), policy lag mean/max, dropped segments (stale and
/// queue full) and learner updates per second, plus the wall time. In place, it is redrawn with a carriage return at most
/// once per redraw interval (250 ms by default); a report that arrives sooner is shown by a later redraw or on dispose.
/// As plain lines (for logs and pipes), every report is one line.</para>
/// <para>The sink does not own its writer: disposing it ends the progress line but leaves the writer open.</para>
/// </remarks>
public sealed class ConsoleProgressSink : IMetricsSink
{
    private readonly TextWriter _writer;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _redrawInterval;
    private readonly StringBuilder _line = new();
    private TrainingReport? _latest;
    private bool _latestShown;
    private long? _lastRedrawTimestamp;
    private int _shownLength;
    private bool _disposed;

    /// <summary>Creates a progress display on <paramref name="writer"/>.</summary>
    /// <param name="writer">Where to write, usually <see cref="Console.Out"/>.</param>
    /// <param name="redrawInPlace">True to redraw one line with carriage returns (a terminal); false for one plain line per report.</param>
    /// <param name="timeProvider">The clock that bounds the redraw rate.</param>
    /// <param name="redrawInterval">The shortest time between two redraws in place; 250 ms when null.</param>
    public ConsoleProgressSink(TextWriter writer, bool redrawInPlace, TimeProvider timeProvider, TimeSpan? redrawInterval = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(timeProvider);
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
        if (!RedrawsInPlace)
        {
            Format(report);
            _line.Append('\n');
            _writer.Write(_line);
            _writer.Flush();
            return;
        }

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
        _line.Append(culture, $"step {report.GlobalStep} | sps {report.StepsPerSecond:F0} | episodes {report.Episodes}");
        if (report.EpisodicReturnMean is { } returnMean)
        {
            _line.Append(culture, $" | return {returnMean:F2}");
        }

        if (report.ActionGapP99Milliseconds is { } gap)
        {
            _line.Append(culture, $" | gap p50/p99/max {Optional(report.ActionGapP50Milliseconds)}/{gap:F1}/{Optional(report.ActionGapMaxMilliseconds)} ms");
        }

        if (report.DeadlineOverruns is { } overruns)
        {
            _line.Append(culture, $" | late ticks {overruns}");
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
    }

    private static string Optional(double? milliseconds) =>
        milliseconds is { } value ? value.ToString("F1", CultureInfo.InvariantCulture) : "-";
}
