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

    private long _offset;
    private int _line;

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
            (_offset, _line, Columns, reset) = (0, 0, [], true);
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
            var buffer = new byte[stream.Length - _offset];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var lastBreak = read == 0 ? -1 : Array.LastIndexOf(buffer, (byte)'\n', read - 1);
            if (lastBreak < 0)
            {
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

    // Control characters (a binary file, a torn write) become '?', so the message stays one printable line.
    private static string Shorten(string cell)
    {
        var shown = string.Create(Math.Min(cell.Length, 40), cell, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
        return cell.Length <= 40 ? shown : shown + "…";
    }
}
