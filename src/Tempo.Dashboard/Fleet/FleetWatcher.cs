using StackExchange.Redis;
using Tempo.Redis;

namespace Tempo.Dashboard.Fleet;

/// <summary>Reads a fleet's status from Redis once a heartbeat and keeps the last reading; a Redis that is down is a message, not a crash.</summary>
internal sealed class FleetWatcher(RedisUrl url, string run, TimeSpan pollInterval, Action<string> log) : IDisposable
{
    // Connecting waits at most one poll period, not the 10 s a starting learner or actor allows: while Redis is down each
    // read then fails within a heartbeat, and a Redis back up is seen at the next read, about one or two heartbeats later.
    private readonly RedisFleetOptions _connectOptions = new() { ConnectWait = pollInterval };
    private RedisFleet? _fleet;
    private string? _lastError;

    /// <summary>The last reading; before the first, no members and <see cref="FleetView.ReadUtc"/> null.</summary>
    public FleetView Current { get; private set; } = new(url.ToString(), run, null, null, null, []);

    /// <summary>The actors' timing over the reads so far.</summary>
    public FleetTimingHistory Timing { get; } = new(run);

    /// <summary>Reads the fleet now (connecting first if needed) and returns the reading, with its timing row when Redis answered.</summary>
    public (FleetView Fleet, double?[]? TimingRow) Poll()
    {
        double?[]? row = null;
        try
        {
            _fleet ??= RedisFleet.Connect(url, run, _connectOptions);
            var status = _fleet.ReadStatus();
            var now = DateTimeOffset.UtcNow;
            Current = new FleetView(url.ToString(), run, status.RunId, null, now, status.Members.Select(FleetMemberView.Of).ToArray());
            row = Timing.Add(status.Members, now);
            if (_lastError is not null)
            {
                log($"fleet {run} at {url}: reachable again");
                _lastError = null;
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or InvalidOperationException)
        {
            // Not connecting at all, or losing the connection, is the common case: say that plainly rather than the client's status dump.
            var cause = exception is RedisConnectionException || (exception is InvalidOperationException && _fleet is null)
                ? $"Redis does not answer (down or unreachable); trying again every {pollInterval.TotalSeconds:0.#} s"
                : FirstLine(exception.Message);
            var error = $"Cannot read fleet {run} from {url}: {cause}.";
            if (error != _lastError)
            {
                log(error);
                _lastError = error;
            }

            // Members stay as last seen, so the table still says who was there.
            Current = Current with { Error = error };
        }

        return (Current, row);
    }

    public void Dispose() => _fleet?.Dispose();

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
