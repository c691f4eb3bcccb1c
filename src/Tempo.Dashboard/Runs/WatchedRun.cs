using System.Text.Json;
using Tempo.Runtime.Checkpoints;

namespace Tempo.Dashboard.Runs;

/// <summary>A run folder being watched: tails its <c>metrics.csv</c> and rereads its facts when their files change.</summary>
/// <remarks>Polled by one loop (<see cref="RunWatcher"/>); endpoints read it under its lock.</remarks>
internal sealed class WatchedRun
{
    private const string MetricsFileName = "metrics.csv";
    private const string ConfigFileName = "config.json";

    private readonly Lock _lock = new();
    private readonly List<double?[]> _rows = [];
    private readonly MetricsTail _tail;
    private RunFacts? _facts;
    private DateTime _configWritten;
    private DateTime _checkpointWritten;
    private string? _error;

    public WatchedRun(string name, string directory)
    {
        Name = name;
        Directory = directory;
        _tail = new MetricsTail(Path.Combine(directory, MetricsFileName));
    }

    public string Name { get; }

    public string Directory { get; }

    /// <summary>The run as it is now; without its rows when <paramref name="withRows"/> is false.</summary>
    public RunView View(bool withRows)
    {
        lock (_lock)
        {
            return new RunView(Name, Directory, _error, _facts, _tail.Columns, withRows ? _rows.ToArray() : [], _rows.Count);
        }
    }

    /// <summary>Looks for new rows and changed facts.</summary>
    /// <returns>What to tell the pages: nothing, the new rows, or the whole run (its facts, problem or columns changed).</returns>
    public (RunPoints? Points, bool Changed) Poll()
    {
        lock (_lock)
        {
            var before = (_error, _facts, _tail.Columns.Length);
            _error = Problem();
            if (_error is not null && !System.IO.Directory.Exists(Directory))
            {
                return (null, before != (_error, _facts, _tail.Columns.Length));
            }

            _facts = ReadFacts();
            List<double?[]> rows;
            bool reset;
            try
            {
                rows = _tail.Poll(out reset);
            }
            catch (IOException exception)
            {
                _error = $"{Path.Combine(Directory, MetricsFileName)} cannot be read: {exception.Message}";
                return (null, before != (_error, _facts, _tail.Columns.Length));
            }

            if (reset)
            {
                _rows.Clear();
            }

            if (_tail.Errors.Count > 0)
            {
                _error = _tail.Errors.Count == 1 ? _tail.Errors[0] : $"{_tail.Errors[0]} (and {_tail.Errors.Count - 1} more bad rows, skipped)";
            }

            var first = _rows.Count;
            _rows.AddRange(rows);
            var changed = reset || before != (_error, _facts, _tail.Columns.Length);
            return (!changed && rows.Count > 0 ? new RunPoints(Name, first, rows) : null, changed);
        }
    }

    private string? Problem()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return $"Run folder {Directory} does not exist (yet); watching for it.";
        }

        return File.Exists(Path.Combine(Directory, ConfigFileName)) || File.Exists(Path.Combine(Directory, MetricsFileName))
            ? null
            : $"{Directory} holds no run (no {ConfigFileName} or {MetricsFileName}); point --run-dir at the folder a run trains into.";
    }

    // config.json is written once when the run starts; the checkpoint is rewritten every few updates. Both are reread
    // only when their time stamp moves.
    private RunFacts? ReadFacts()
    {
        var configPath = Path.Combine(Directory, ConfigFileName);
        var configWritten = File.GetLastWriteTimeUtc(configPath);
        var facts = _facts;
        if (File.Exists(configPath) && configWritten != _configWritten)
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(configPath));
                var config = document.RootElement.Clone();
                facts = new RunFacts(
                    Text(config, "env"),
                    Text(config, "algo"),
                    new DateTimeOffset(configWritten, TimeSpan.Zero),
                    config.TryGetProperty("tick-rate", out var rate) && rate.ValueKind == JsonValueKind.Number ? rate.GetDouble() : null,
                    config,
                    facts?.Checkpoint);
                _configWritten = configWritten;
            }
            catch (Exception exception) when (exception is JsonException or IOException)
            {
                _error ??= $"{configPath} is not readable JSON: {exception.Message}";
            }
        }

        var checkpointPath = Path.Combine(Directory, CheckpointFile.FileName);
        var checkpointWritten = File.GetLastWriteTimeUtc(checkpointPath);
        if (facts is not null && File.Exists(checkpointPath) && checkpointWritten != _checkpointWritten)
        {
            try
            {
                var checkpoint = CheckpointFile.ReadMetadata(checkpointPath);
                facts = facts with { Checkpoint = new CheckpointFacts(new DateTimeOffset(checkpointWritten, TimeSpan.Zero), checkpoint.PolicyVersion, checkpoint.GlobalStep, checkpoint.Updates) };
                _checkpointWritten = checkpointWritten;
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException)
            {
                // Caught mid-write or corrupt: keep the last good facts and look again at the next change.
            }
        }

        return facts;
    }

    private static string? Text(JsonElement config, string key) =>
        config.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
