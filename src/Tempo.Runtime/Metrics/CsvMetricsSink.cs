using System.Globalization;
using System.Text;

namespace Tempo.Runtime.Metrics;

/// <summary>Writes <c>metrics.csv</c>: one row per <see cref="TrainingReport"/>, flushed as soon as it is written.</summary>
/// <remarks>
/// <para>The header is fixed (<see cref="Header"/>). The measurement contract's columns come first, in this order:
/// <c>global_step</c> (env steps, all envs and actors), <c>wall_time_s</c> (seconds since training started),
/// <c>episodes</c> (finished so far), <c>episodic_return_mean</c> (last 20 episodes), <c>sps</c> (env steps per second),
/// <c>action_gap_p50_ms</c>, <c>action_gap_p99_ms</c>, <c>action_gap_max_ms</c> (live envs), <c>policy_lag_mean</c>.
/// Then the rest of the report: <c>policy_lag_max</c>, <c>deadline_overruns</c>, <c>segments_dropped_stale</c>,
/// <c>segments_dropped_queue_full</c>, <c>learner_updates_per_s</c>, the last update's <c>learning_rate</c>,
/// <c>policy_loss</c>, <c>value_loss</c>, <c>entropy</c>, <c>approx_kl</c>, <c>clipfrac</c>, <c>explained_variance</c>,
/// <c>grad_norm</c>, <c>policy_version</c>, and <c>episodic_length_mean</c> (last 20 episodes).</para>
/// <para>A value that does not apply (null in the report) is an empty cell. Numbers use the invariant culture and
/// the shortest text that parses back to the same double; non-finite values are written <c>NaN</c>,
/// <c>Infinity</c>, <c>-Infinity</c>. Lines end with <c>\n</c>; the file is UTF-8 without a byte-order mark.</para>
/// <para>Each row is flushed to the operating system before <see cref="Write"/> returns, so a crash of the process
/// loses no row. A resumed run opens the file with <see cref="FileMode.Append"/>, which checks the existing header
/// and continues without writing a second one.</para>
/// </remarks>
public sealed class CsvMetricsSink : IMetricsSink
{
    // Name and value of every column in one table, so the header and the rows cannot drift apart.
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
        new("learning_rate", static (report, row) => AppendReal(row, report.Learner?.LearningRate)),
        new("policy_loss", static (report, row) => AppendReal(row, report.Learner?.PolicyLoss)),
        new("value_loss", static (report, row) => AppendReal(row, report.Learner?.ValueLoss)),
        new("entropy", static (report, row) => AppendReal(row, report.Learner?.Entropy)),
        new("approx_kl", static (report, row) => AppendReal(row, report.Learner?.ApproxKl)),
        new("clipfrac", static (report, row) => AppendReal(row, report.Learner?.ClipFraction)),
        new("explained_variance", static (report, row) => AppendReal(row, report.Learner?.ExplainedVariance)),
        new("grad_norm", static (report, row) => AppendReal(row, report.Learner?.GradientNorm)),
        new("policy_version", static (report, row) => AppendInteger(row, report.Learner?.PolicyVersion)),
        new("episodic_length_mean", static (report, row) => AppendReal(row, report.EpisodicLengthMean)),
    ];

    private static readonly string[] _columnNames = Array.ConvertAll(_columns, static column => column.Name);

    // A header longer than this is not ours; stop reading instead of scanning a large foreign file.
    private const int MaximumHeaderBytes = 4096;

    private readonly StreamWriter _writer;
    private readonly StringBuilder _row = new();
    private bool _disposed;

    private CsvMetricsSink(string path, StreamWriter writer)
    {
        Path = path;
        _writer = writer;
    }

    /// <summary>The column names, in file order.</summary>
    public static IReadOnlyList<string> ColumnNames => _columnNames;

    /// <summary>The header line, without its line ending.</summary>
    public static string Header { get; } = string.Join(',', _columnNames);

    /// <summary>The file this sink writes.</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="path"/> for writing metrics rows.</summary>
    /// <param name="path">The CSV file, usually <c>RUN_DIR/metrics.csv</c>; its folder must exist.</param>
    /// <param name="mode">
    /// <see cref="FileMode.CreateNew"/> starts a new file and fails if one exists; <see cref="FileMode.Create"/> replaces
    /// any existing file; <see cref="FileMode.Append"/> continues an existing file after checking its header (or starts
    /// a new one when the file is missing or empty).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is none of the three above.</exception>
    /// <exception cref="IOException">With <see cref="FileMode.CreateNew"/>, the file exists.</exception>
    /// <exception cref="InvalidDataException">With <see cref="FileMode.Append"/>, the existing header differs from <see cref="Header"/> or the last row is incomplete.</exception>
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
            var writeHeader = mode != FileMode.Append || stream.Length == 0;
            if (!writeHeader)
            {
                ValidateForAppend(stream, path);
                stream.Seek(0, SeekOrigin.End);
            }

            var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
            var sink = new CsvMetricsSink(path, writer);
            if (writeHeader)
            {
                writer.WriteLine(Header);
                writer.Flush();
            }

            return sink;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Write(TrainingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _row.Clear();
        for (var i = 0; i < _columns.Length; i++)
        {
            if (i > 0)
            {
                _row.Append(',');
            }

            _columns[i].AppendValue(report, _row);
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

    private static void ValidateForAppend(FileStream stream, string path)
    {
        var prefix = new byte[(int)Math.Min(stream.Length, MaximumHeaderBytes)];
        stream.ReadExactly(prefix);
        var lineEnd = Array.IndexOf(prefix, (byte)'\n');
        var found = Encoding.UTF8.GetString(prefix, 0, lineEnd < 0 ? prefix.Length : lineEnd);
        if (found == Header + "\r")
        {
            throw new InvalidDataException(
                $"Cannot append to '{path}': it has Windows (CRLF) line endings; metrics.csv uses LF. Convert the file to LF line endings to resume.");
        }

        if (lineEnd < 0 || found != Header)
        {
            throw new InvalidDataException(
                $"Cannot append to '{path}': its header does not match the metrics.csv columns of this version." +
                $"{Environment.NewLine}expected: {Header}{Environment.NewLine}found:    {Truncate(found)}");
        }

        stream.Seek(-1, SeekOrigin.End);
        if (stream.ReadByte() != '\n')
        {
            throw new InvalidDataException(
                $"Cannot append to '{path}': its last row is incomplete (the file does not end with a line break), so an earlier run was cut off mid-write. Remove the partial last line to resume.");
        }
    }

    private static string Truncate(string text) => text.Length <= 400 ? text : string.Concat(text.AsSpan(0, 400), "…");

    private static void AppendInteger(StringBuilder row, long? value)
    {
        if (value is { } integer)
        {
            row.Append(CultureInfo.InvariantCulture, $"{integer}");
        }
    }

    // "R" is the shortest text that round-trips on .NET Core 3.0 and later.
    private static void AppendReal(StringBuilder row, double? value)
    {
        if (value is { } real)
        {
            row.Append(CultureInfo.InvariantCulture, $"{real:R}");
        }
    }

    private sealed record CsvColumn(string Name, Action<TrainingReport, StringBuilder> AppendValue);
}
