using System.Globalization;
using System.Text;
using Tempo.Algorithms.Learners;

namespace Tempo.Runtime.Metrics;

/// <summary>Writes <c>metrics.csv</c>: one row per <see cref="TrainingReport"/>, flushed as soon as it is written.</summary>
/// <remarks>
/// <para>The fixed columns (<see cref="FixedColumnNames"/>) come first. The measurement contract's, in this order:
/// <c>global_step</c> (env steps, all envs and actors), <c>wall_time_s</c> (seconds since training started),
/// <c>episodes</c> (finished so far), <c>episodic_return_mean</c> (last 20 episodes), <c>sps</c> (env steps per second),
/// <c>action_gap_p50_ms</c>, <c>action_gap_p99_ms</c>, <c>action_gap_max_ms</c> (live envs), <c>policy_lag_mean</c>.
/// Then the rest of the report: <c>policy_lag_max</c>, <c>deadline_overruns</c>, <c>segments_dropped_stale</c>,
/// <c>segments_dropped_queue_full</c>, <c>learner_updates_per_s</c>, the last update's <c>policy_version</c> and
/// <c>gradient_steps</c>, <c>episodic_length_mean</c> (last 20 episodes), and <c>episodic_x_reached_mean</c> (the
/// farthest x reached, last 20 episodes; envs that expose the player's position), <c>game_crashes</c> and
/// <c>game_hangs</c> (episodes truncated because a game crashed or hung; envs that run a game).</para>
/// <para>Then one column per learner statistic, in the learner's order, named by the part of the statistic's name after
/// its last <c>/</c> (<c>losses/value_loss</c> is <c>value_loss</c>). The header is therefore written with the first
/// report, and every later report's statistics must have the same names (a report without statistics leaves those
/// cells empty).</para>
/// <para>A value that does not apply (null in the report) is an empty cell. Numbers use the invariant culture and
/// the shortest text that parses back to the same double; non-finite values are written <c>NaN</c>,
/// <c>Infinity</c>, <c>-Infinity</c>. Lines end with <c>\n</c>; the file is UTF-8 without a byte-order mark.</para>
/// <para>Each row is flushed to the operating system before <see cref="Write"/> returns, so a crash of the process
/// loses no row. A resumed run opens the file with <see cref="FileMode.Append"/>, which checks the existing header
/// and continues without writing a second one: its first report must give the same header, or the write fails
/// saying how the headers differ.</para>
/// </remarks>
public sealed class CsvMetricsSink : IMetricsSink
{
    // Name and value of every fixed column in one table, so the header and the rows cannot drift apart.
    private static readonly CsvColumn[] _columns =
    [
        new("global_step", static (report, row) => AppendInteger(row, report.GlobalStep)),
        new("wall_time_s", static (report, row) => AppendReal(row, report.WallTimeSeconds)),
        new("episodes", static (report, row) => AppendInteger(row, report.Episodes)),
        new("episodic_return_mean", static (report, row) => AppendReal(row, report.EpisodicReturnMean)),
        new("sps", static (report, row) => AppendReal(row, report.StepsPerSecond)),
        new("action_gap_p50_ms", static (report, row) => AppendReal(row, report.ActionGapP50Milliseconds)),
        new("action_gap_p99_ms", static (report, row) => AppendReal(row, report.ActionGapP99Milliseconds)),
        new("action_gap_max_ms", static (report, row) => AppendReal(row, report.ActionGapMaxMilliseconds)),
        new("policy_lag_mean", static (report, row) => AppendReal(row, report.PolicyLagMean)),
        new("policy_lag_max", static (report, row) => AppendInteger(row, report.PolicyLagMax)),
        new("deadline_overruns", static (report, row) => AppendInteger(row, report.DeadlineOverruns)),
        new("segments_dropped_stale", static (report, row) => AppendInteger(row, report.SegmentsDroppedStale)),
        new("segments_dropped_queue_full", static (report, row) => AppendInteger(row, report.SegmentsDroppedQueueFull)),
        new("learner_updates_per_s", static (report, row) => AppendReal(row, report.LearnerUpdatesPerSecond)),
        new("policy_version", static (report, row) => AppendInteger(row, report.Learner?.PolicyVersion)),
        new("gradient_steps", static (report, row) => AppendInteger(row, report.Learner?.GradientSteps)),
        new("episodic_length_mean", static (report, row) => AppendReal(row, report.EpisodicLengthMean)),
        new("episodic_x_reached_mean", static (report, row) => AppendReal(row, report.EpisodicXReachedMean)),
        new("game_crashes", static (report, row) => AppendInteger(row, report.GameCrashes)),
        new("game_hangs", static (report, row) => AppendInteger(row, report.GameHangs)),
    ];

    private static readonly string[] _fixedColumnNames = Array.ConvertAll(_columns, static column => column.Name);

    // The longest text of a long (20 chars) or a round-trip double ("-1.7976931348623157E+308", 24), with room to spare.
    private const int MaximumNumberLength = 32;

    // A header longer than this is not ours; stop reading instead of scanning a large foreign file.
    private const int MaximumHeaderBytes = 64 << 10;

    private readonly StreamWriter _writer;
    private readonly StringBuilder _row = new();

    // The header of the file when it was opened for appending; null when this sink writes it with the first report.
    private readonly string? _existingHeader;
    private bool _disposed;

    // The learner columns of the header, once it is known, and the statistic names last found to match them.
    private string[]? _learnerColumns;
    private IReadOnlyList<string>? _matchedNames;

    private CsvMetricsSink(string path, StreamWriter writer, string? existingHeader)
    {
        Path = path;
        _writer = writer;
        _existingHeader = existingHeader;
        if (existingHeader is not null)
        {
            _learnerColumns = existingHeader.Length == FixedHeader.Length ? [] : existingHeader[(FixedHeader.Length + 1)..].Split(',');
        }
    }

    /// <summary>The fixed column names, in file order; learner statistics follow them.</summary>
    public static IReadOnlyList<string> FixedColumnNames => _fixedColumnNames;

    /// <summary>The fixed columns' part of the header line.</summary>
    public static string FixedHeader { get; } = string.Join(',', _fixedColumnNames);

    /// <summary>The file this sink writes.</summary>
    public string Path { get; }

    /// <summary>The CSV column of the learner statistic named <paramref name="statisticName"/>: the part after its last <c>/</c>.</summary>
    public static string ColumnName(string statisticName)
    {
        ArgumentException.ThrowIfNullOrEmpty(statisticName);
        return statisticName[(statisticName.LastIndexOf('/') + 1)..];
    }

    /// <summary>The header line, without its line ending, of a file whose reports carry statistics named <paramref name="statisticNames"/>.</summary>
    /// <exception cref="ArgumentException">Two statistics, or a statistic and a fixed column, would share a column name, or a name ends with <c>/</c>.</exception>
    public static string HeaderFor(IReadOnlyList<string> statisticNames)
    {
        ArgumentNullException.ThrowIfNull(statisticNames);
        return string.Join(',', _fixedColumnNames.Concat(LearnerColumns(statisticNames)));
    }

    /// <summary>Opens <paramref name="path"/> for writing metrics rows.</summary>
    /// <param name="path">The CSV file, usually <c>RUN_DIR/metrics.csv</c>; its folder must exist.</param>
    /// <param name="mode">
    /// <see cref="FileMode.CreateNew"/> starts a new file and fails if one exists; <see cref="FileMode.Create"/> replaces
    /// any existing file; <see cref="FileMode.Append"/> continues an existing file after checking its header (or starts
    /// a new one when the file is missing or empty).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is none of the three above.</exception>
    /// <exception cref="IOException">With <see cref="FileMode.CreateNew"/>, the file exists.</exception>
    /// <exception cref="InvalidDataException">With <see cref="FileMode.Append"/>, the existing header does not start with <see cref="FixedHeader"/> or the last row is incomplete.</exception>
    public static CsvMetricsSink Open(string path, FileMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (mode is not (FileMode.CreateNew or FileMode.Create or FileMode.Append))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Metrics CSV files are opened with CreateNew, Create or Append.");
        }

        var stream = new FileStream(
            path,
            mode == FileMode.Append ? FileMode.OpenOrCreate : mode,
            mode == FileMode.Append ? FileAccess.ReadWrite : FileAccess.Write,
            FileShare.Read);
        try
        {
            string? existingHeader = null;
            if (mode == FileMode.Append && stream.Length > 0)
            {
                existingHeader = ValidateForAppend(stream, path);
                stream.Seek(0, SeekOrigin.End);
            }

            var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
            return new CsvMetricsSink(path, writer, existingHeader);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">The file was opened for appending and this report's statistics give another header.</exception>
    /// <exception cref="ArgumentException">The report's statistics have other names than the header's learner columns.</exception>
    public void Write(TrainingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var learnerColumns = LearnerColumnsFor(report.Learner);
        _row.Clear();
        for (var i = 0; i < _columns.Length; i++)
        {
            if (i > 0)
            {
                _row.Append(',');
            }

            _columns[i].AppendValue(report, _row);
        }

        if (report.Learner is { } learner)
        {
            foreach (var value in learner.Values)
            {
                _row.Append(',');
                AppendReal(_row, value);
            }
        }
        else
        {
            _row.Append(',', learnerColumns);
        }

        _row.Append('\n');
        _writer.Write(_row);
        _writer.Flush();
    }

    /// <summary>Does nothing: metrics.csv has one row per report, not per episode.</summary>
    public void WriteEpisode(EpisodeReport episode) => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Dispose();
    }

    /// <summary>Writes the header with the first report and checks every later one against it; returns the number of learner columns.</summary>
    private int LearnerColumnsFor(LearnerStatistics? statistics)
    {
        if (_learnerColumns is null)
        {
            // The first report of a new file decides its learner columns.
            var names = statistics?.Names ?? [];
            var header = HeaderFor(names);
            _learnerColumns = LearnerColumns(names);
            _matchedNames = names;
            _writer.WriteLine(header);
            return _learnerColumns.Length;
        }

        if (statistics is null || ReferenceEquals(statistics.Names, _matchedNames))
        {
            return _learnerColumns.Length;
        }

        var columns = LearnerColumns(statistics.Names);
        if (!columns.AsSpan().SequenceEqual(_learnerColumns))
        {
            var expected = string.Join(',', _fixedColumnNames.Concat(_learnerColumns));
            var found = string.Join(',', _fixedColumnNames.Concat(columns));
            if (_existingHeader is not null)
            {
                throw new InvalidDataException(
                    $"Cannot append to '{Path}': its header differs from the columns of this run's learner statistics; a resumed run must report the same statistics. Start a new run folder or move the file away." +
                    $"{Environment.NewLine}file:     {Truncate(expected)}{Environment.NewLine}this run: {Truncate(found)}");
            }

            throw new ArgumentException(
                $"The learner statistics of this report ({string.Join(", ", statistics.Names)}) differ from the columns '{Path}' was started with ({string.Join(", ", _learnerColumns)}); every row of a metrics file has the same columns.",
                nameof(statistics));
        }

        // Statistics copies share their learner's name list, so the comparison above runs once per learner.
        _matchedNames = statistics.Names;
        return _learnerColumns.Length;
    }

    private static string[] LearnerColumns(IReadOnlyList<string> statisticNames)
    {
        var columns = new string[statisticNames.Count];
        var taken = new HashSet<string>(_fixedColumnNames, StringComparer.Ordinal);
        for (var i = 0; i < columns.Length; i++)
        {
            var column = ColumnName(statisticNames[i]);
            if (column.Length == 0)
            {
                throw new ArgumentException($"Learner statistic '{statisticNames[i]}' ends with '/', so it names no CSV column.", nameof(statisticNames));
            }

            if (!taken.Add(column))
            {
                throw new ArgumentException(
                    $"Learner statistic '{statisticNames[i]}' would be the CSV column '{column}', which another column already has; give it a name whose last part is unique.",
                    nameof(statisticNames));
            }

            columns[i] = column;
        }

        return columns;
    }

    private static string ValidateForAppend(FileStream stream, string path)
    {
        var prefix = new byte[(int)Math.Min(stream.Length, MaximumHeaderBytes)];
        stream.ReadExactly(prefix);
        var lineEnd = Array.IndexOf(prefix, (byte)'\n');
        var found = Encoding.UTF8.GetString(prefix, 0, lineEnd < 0 ? prefix.Length : lineEnd);
        if (lineEnd >= 0 && found.EndsWith('\r'))
        {
            throw new InvalidDataException(
                $"Cannot append to '{path}': it has Windows (CRLF) line endings; metrics.csv uses LF. Convert the file to LF line endings to resume.");
        }

        if (lineEnd < 0 || !(found == FixedHeader || found.StartsWith(FixedHeader + ",", StringComparison.Ordinal)))
        {
            throw new InvalidDataException(
                $"Cannot append to '{path}': its header does not start with the metrics.csv columns of this version." +
                $"{Environment.NewLine}expected: {FixedHeader}[,learner statistics…]{Environment.NewLine}found:    {Truncate(found)}");
        }

        stream.Seek(-1, SeekOrigin.End);
        if (stream.ReadByte() != '\n')
        {
            throw new InvalidDataException(
                $"Cannot append to '{path}': its last row is incomplete (the file does not end with a line break), so an earlier run was cut off mid-write. Remove the partial last line to resume.");
        }

        return found;
    }

    private static string Truncate(string text) => text.Length <= 1000 ? text : string.Concat(text.AsSpan(0, 1000), "…");

    // Formatting into a stack buffer and appending the span allocates nothing; an interpolated append with a format
    // provider boxes each value (24 bytes a cell, every report).
    private static void AppendInteger(StringBuilder row, long? value)
    {
        if (value is { } integer)
        {
            Span<char> text = stackalloc char[MaximumNumberLength];
            integer.TryFormat(text, out var written, provider: CultureInfo.InvariantCulture);
            row.Append(text[..written]);
        }
    }

    // "R" is the shortest text that round-trips on .NET Core 3.0 and later.
    private static void AppendReal(StringBuilder row, double? value)
    {
        if (value is { } real)
        {
            Span<char> text = stackalloc char[MaximumNumberLength];
            real.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture);
            row.Append(text[..written]);
        }
    }

    private sealed record CsvColumn(string Name, Action<TrainingReport, StringBuilder> AppendValue);
}
