using System.Globalization;
using System.Text;

namespace Tempo.Dashboard.Runs;

/// <summary>Reads a growing <c>metrics.csv</c> from where it last stopped, so a poll costs one <c>stat</c> when nothing was written.</summary>
/// <remarks>
/// <see cref="Tempo.Runtime.Metrics.CsvMetricsSink"/> flushes whole rows, but a reader can still catch a row half
/// written: only text up to the last line break is consumed, the rest waits for the next poll. A file that got shorter
/// was replaced (a new run in the same folder), so reading starts again from the top.
/// </remarks>
internal sealed class MetricsTail(string path)
{
    private const string StepColumn = "global_step";

    // A metrics line is far shorter: the sink refuses a header over 64 KiB, and a row is a few dozen numbers of at most
    // 32 characters. More text than this with no line break is not a row being written but not a metrics file at all.
    private const int MaximumLineBytes = 64 << 10;

    // One poll reads at most this much (the rest at the next polls), so a huge file put in the wrong folder is not read whole.
    private const int MaximumReadBytes = 16 << 20;

    private long _offset;
    private int _line;

    // The offset whose unfinished line was reported as not metrics, so the one problem is reported once, not each poll.
    private long _reportedUnfinishedAt = -1;

    /// <summary>The header's column names; empty until the header was read.</summary>
    public string[] Columns { get; private set; } = [];

    /// <summary>Lines that could not be read, one message each (a header without global_step, a cell that is not a number, too many cells).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Reads the rows written since the last call; a bad row goes to <see cref="Errors"/> instead.</summary>
    /// <param name="reset">True when the file was replaced and the rows start again from the first.</param>
    /// <returns>The new rows, each with one value per column; null where a cell is empty or not finite.</returns>
    public List<double?[]> Poll(out bool reset)
    {
        reset = false;
        var rows = new List<double?[]>();
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return rows;
        }

        if (info.Length < _offset)
        {
            (_offset, _line, Columns, reset, _reportedUnfinishedAt) = (0, 0, [], true, -1);
            Errors.Clear();
        }

        if (info.Length == _offset)
        {
            return rows;
        }

        string text;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            stream.Seek(_offset, SeekOrigin.Begin);
            var buffer = new byte[Math.Min(stream.Length - _offset, MaximumReadBytes)];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var lastBreak = read == 0 ? -1 : Array.LastIndexOf(buffer, (byte)'\n', read - 1);
            if (lastBreak < 0)
            {
                // Usually a line being written. But a file with no line break at all (binary garbage) would wait forever
                // in silence, so text that can never become a metrics line is reported now.
                if (_reportedUnfinishedAt != _offset && UnfinishedLineProblem(buffer.AsSpan(0, read)) is { } problem)
                {
                    Errors.Add(problem);
                    _reportedUnfinishedAt = _offset;
                }

                return rows;
            }

            _offset += lastBreak + 1;
            text = Encoding.UTF8.GetString(buffer, 0, lastBreak + 1);
        }

        // The text ends with a line break, so the last piece is empty; blank lines still count for the line numbers.
        var lines = text.Split('\n');
        foreach (var line in lines.AsSpan(0, lines.Length - 1))
        {
            _line++;
            if (line.Length == 0)
            {
                continue;
            }

            if (Columns.Length == 0)
            {
                Columns = line.Split(',');
                if (!Columns.Contains(StepColumn))
                {
                    // Not what a run writes (another file, or one overwritten with garbage): say so instead of drawing nothing quietly.
                    Errors.Add($"{path}, line {_line}: '{Shorten(line)}' is not a metrics header (it has no {StepColumn} column).");
                }

                continue;
            }

            try
            {
                rows.Add(Parse(line));
            }
            catch (InvalidDataException error)
            {
                // One bad row is reported and skipped; the rows around it still draw.
                Errors.Add(error.Message);
            }
        }

        return rows;
    }

    // Why the unfinished last line cannot be part of a metrics file, or null while it still can: metrics are text (no
    // control characters but \r and \t), a line is short, and a header starts with global_step, as the sink writes it.
    private string? UnfinishedLineProblem(ReadOnlySpan<byte> pending)
    {
        var text = Encoding.UTF8.GetString(pending[..Math.Min(pending.Length, 256)]);
        var where = string.Create(CultureInfo.InvariantCulture, $"{path}, line {_line + 1} ({pending.Length:N0} bytes with no line break, starting '{Shorten(text)}')");
        if (pending.Length > MaximumLineBytes)
        {
            return $"{where}: no metrics line is that long; this is not a metrics file.";
        }

        if (text.Any(c => char.IsControl(c) && c is not '\r' and not '\t'))
        {
            return $"{where}: control characters; this is not a metrics file (metrics are text).";
        }

        var headerStart = StepColumn + ",";
        return Columns.Length == 0 && !text.StartsWith(headerStart, StringComparison.Ordinal) && !headerStart.StartsWith(text, StringComparison.Ordinal)
            ? $"{where}: not a metrics header (a run's header starts with {headerStart}); this is not a metrics file."
            : null;
    }

    private double?[] Parse(string line)
    {
        var cells = line.Split(',');
        if (cells.Length > Columns.Length)
        {
            throw new InvalidDataException($"{path}, line {_line}: {cells.Length} cells but the header has {Columns.Length} columns.");
        }

        var row = new double?[Columns.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            if (cells[i].Length == 0)
            {
                continue;
            }

            if (!double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new InvalidDataException($"{path}, line {_line}, column {Columns[i]}: '{Shorten(cells[i])}' is not a number.");
            }

            row[i] = double.IsFinite(value) ? value : null;
        }

        return row;
    }

    // Control characters and bytes that are not UTF-8 (a binary file, a torn write) become '?', so the message stays one printable line.
    private static string Shorten(string cell)
    {
        var shown = string.Create(Math.Min(cell.Length, 40), cell, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) || source[i] == '\uFFFD' ? '?' : source[i];
            }
        });
        return cell.Length <= 40 ? shown : shown + "…";
    }
}
