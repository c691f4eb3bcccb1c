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
    private long _offset;
    private int _line;

    /// <summary>The header's column names; empty until the header was read.</summary>
    public string[] Columns { get; private set; } = [];

    /// <summary>Rows that could not be read, one message each (a cell that is not a number, too many cells).</summary>
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
            var lastBreak = Array.LastIndexOf(buffer, (byte)'\n', read - 1);
            if (lastBreak < 0)
            {
                return rows;
            }

            _offset += lastBreak + 1;
            text = Encoding.UTF8.GetString(buffer, 0, lastBreak + 1);
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            _line++;
            if (Columns.Length == 0)
            {
                Columns = line.Split(',');
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

    private static string Shorten(string cell) => cell.Length <= 40 ? cell : string.Concat(cell.AsSpan(0, 40), "…");
}
