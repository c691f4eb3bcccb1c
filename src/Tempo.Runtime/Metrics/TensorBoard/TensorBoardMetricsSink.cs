using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Tempo.Runtime.Metrics.TensorBoard;

/// <summary>Writes a TensorBoard event file of scalar summaries, tagged as in <see cref="MetricNames"/> and with the learner's statistic names.</summary>
/// <remarks>
/// <para>The file is <c>events.out.tfevents.&lt;unix seconds&gt;.&lt;host name&gt;</c> in the given folder: TFRecord-framed
/// <c>Event</c> protocol buffers, the first carrying <c>file_version = "brain.Event:2"</c>. A resumed run starts a new
/// file in the same folder; TensorBoard reads them all.</para>
/// <para>Each report is one event at <see cref="TrainingReport.GlobalStep"/> holding every non-null field and every learner
/// statistic under the learner's name for it (NaN included, which TensorBoard shows as a gap); each episode is
/// one event with <see cref="MetricNames.EpisodicReturn"/> and <see cref="MetricNames.EpisodicLength"/>, as CleanRL logs them.
/// Event wall times are Unix seconds from the <see cref="TimeProvider"/>. Reports are flushed to the operating system
/// before <see cref="Write"/> returns; episodes are flushed with the next report.</para>
/// </remarks>
public sealed class TensorBoardMetricsSink : IMetricsSink
{
    /// <summary>The version string of the first event, which TensorBoard checks.</summary>
    public const string FileVersion = "brain.Event:2";

    /// <summary>The prefix TensorBoard looks for in event file names.</summary>
    public const string FileNamePrefix = "events.out.tfevents.";

    private readonly RecordWriter _records;
    private readonly TimeProvider _timeProvider;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly List<SummaryScalar> _scalars = [];
    private bool _disposed;

    private TensorBoardMetricsSink(string path, RecordWriter records, TimeProvider timeProvider)
    {
        Path = path;
        _records = records;
        _timeProvider = timeProvider;
    }

    /// <summary>The event file this sink writes.</summary>
    public string Path { get; }

    /// <summary>Creates a new event file in <paramref name="directory"/> (created if missing), named after this machine.</summary>
    public static TensorBoardMetricsSink Create(string directory, TimeProvider timeProvider) =>
        Create(directory, timeProvider, Environment.MachineName);

    /// <summary>Creates a new event file in <paramref name="directory"/> (created if missing), named after <paramref name="hostName"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="hostName"/> is empty or cannot be part of a file name.</exception>
    /// <exception cref="IOException">An event file of the same second and host already exists.</exception>
    public static TensorBoardMetricsSink Create(string directory, TimeProvider timeProvider, string hostName)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        if (hostName.AsSpan().IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"Host name '{hostName}' cannot be part of a file name.", nameof(hostName));
        }

        Directory.CreateDirectory(directory);
        var now = timeProvider.GetUtcNow();
        // CreateNew: an event file is never overwritten. A run resumed (or restarted) in the same second gets the next
        // free suffix, as TensorBoard's own writers add a process id and counter to the name.
        string path;
        FileStream stream;
        for (var attempt = 0; ; attempt++)
        {
            var suffix = attempt == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $".{attempt}");
            var fileName = string.Create(CultureInfo.InvariantCulture, $"{FileNamePrefix}{now.ToUnixTimeSeconds()}.{hostName}{suffix}");
            path = System.IO.Path.Combine(directory, fileName);
            try
            {
                stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                break;
            }
            catch (IOException) when (File.Exists(path) && attempt < 1000)
            {
            }
        }

        var records = new RecordWriter(stream);
        var sink = new TensorBoardMetricsSink(path, records, timeProvider);
        try
        {
            EventEncoder.WriteFileVersionEvent(sink._buffer, UnixSeconds(now), FileVersion);
            sink.WriteBufferedEvent();
            records.Flush();
            return sink;
        }
        catch
        {
            sink.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Write(TrainingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _scalars.Clear();
        Add(MetricNames.EpisodicReturnMean, report.EpisodicReturnMean);
        Add(MetricNames.EpisodicLengthMean, report.EpisodicLengthMean);
        Add(MetricNames.EpisodicXReachedMean, report.EpisodicXReachedMean);
        Add(MetricNames.Episodes, report.Episodes);
        Add(MetricNames.StepsPerSecond, report.StepsPerSecond);
        Add(MetricNames.ActionGapP50Milliseconds, report.ActionGapP50Milliseconds);
        Add(MetricNames.ActionGapP99Milliseconds, report.ActionGapP99Milliseconds);
        Add(MetricNames.ActionGapMaxMilliseconds, report.ActionGapMaxMilliseconds);
        Add(MetricNames.DeadlineOverruns, report.DeadlineOverruns);
        Add(MetricNames.GameCrashes, report.GameCrashes);
        Add(MetricNames.GameHangs, report.GameHangs);
        Add(MetricNames.PolicyLagMean, report.PolicyLagMean);
        Add(MetricNames.PolicyLagMax, report.PolicyLagMax);
        Add(MetricNames.SegmentsDroppedStale, report.SegmentsDroppedStale);
        Add(MetricNames.SegmentsDroppedQueueFull, report.SegmentsDroppedQueueFull);
        Add(MetricNames.LearnerUpdatesPerSecond, report.LearnerUpdatesPerSecond);
        if (report.Learner is { } learner)
        {
            Add(MetricNames.PolicyVersion, learner.PolicyVersion);
            Add(MetricNames.GradientSteps, learner.GradientSteps);
            var values = learner.Values;
            for (var i = 0; i < values.Length; i++)
            {
                Add(learner.Names[i], values[i]);
            }
        }

        EventEncoder.WriteScalarsEvent(_buffer, CurrentUnixSeconds(), report.GlobalStep, CollectionsMarshal.AsSpan(_scalars));
        WriteBufferedEvent();
        _records.Flush();
    }

    /// <inheritdoc/>
    public void WriteEpisode(EpisodeReport episode)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReadOnlySpan<SummaryScalar> scalars =
        [
            new(MetricNames.EpisodicReturn, (float)episode.Statistics.Return),
            new(MetricNames.EpisodicLength, episode.Statistics.Length),
            new(MetricNames.EpisodicXReached, (float)(episode.Statistics.XReached ?? 0)),
        ];
        var written = episode.Statistics.XReached is null ? scalars[..2] : scalars;
        EventEncoder.WriteScalarsEvent(_buffer, CurrentUnixSeconds(), episode.GlobalStep, written);
        WriteBufferedEvent();
    }

    /// <summary>Flushes and closes the event file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _records.Dispose();
    }

    private void Add(string tag, double? value)
    {
        if (value is { } real)
        {
            _scalars.Add(new SummaryScalar(tag, (float)real));
        }
    }

    private void WriteBufferedEvent()
    {
        _records.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }

    private double CurrentUnixSeconds() => UnixSeconds(_timeProvider.GetUtcNow());

    private static double UnixSeconds(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
}
