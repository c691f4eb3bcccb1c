using System.Text.Json;
using StackExchange.Redis;

namespace Tempo.Redis.Status;

/// <summary>Writes one process's status to the fleet every heartbeat interval: the member's last status in the run's members hash, and a key with a TTL that says it is alive.</summary>
/// <remarks>Runs on a background task; a heartbeat Redis does not take is skipped, and the next one tries again.</remarks>
internal sealed class Heartbeat : IDisposable
{
    /// <summary>The window of the published steps/s: ten heartbeats, long enough that segment-sized bursts average out.</summary>
    internal static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    private readonly FleetConnection _connection;
    private readonly string _member;
    private readonly Func<FleetMemberStatus> _read;
    private readonly Func<IDatabase, Task>? _afterBeat;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;

    /// <summary>Starts beating.</summary>
    /// <param name="connection">The fleet connection.</param>
    /// <param name="member">The member key.</param>
    /// <param name="read">Reads the status; steps per second are filled in here from the step counts of the last <see cref="RateWindow"/> on this process's clock.</param>
    /// <param name="afterBeat">Runs after each beat on the same task (an actor looks whether the run is finished), or null.</param>
    public Heartbeat(FleetConnection connection, string member, Func<FleetMemberStatus> read, Func<IDatabase, Task>? afterBeat = null)
    {
        _connection = connection;
        _member = member;
        _read = read;
        _afterBeat = afterBeat;
        _task = Task.Run(BeatLoopAsync);
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _task.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled mid-beat.
        }

        _stop.Dispose();
    }

    private static FleetMemberStatus WithWorstGaps(FleetMemberStatus status, FleetMemberStatus? unsent) =>
        unsent is null ? status : status with
        {
            GapP50Ms = Worst(status.GapP50Ms, unsent.GapP50Ms),
            GapP99Ms = Worst(status.GapP99Ms, unsent.GapP99Ms),
            GapMaxMs = Worst(status.GapMaxMs, unsent.GapMaxMs),
        };

    private static double? Worst(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private async Task BeatLoopAsync()
    {
        var options = _connection.Options;
        var rate = new StepRate(RateWindow);
        FleetMemberStatus? unsent = null;
        while (!_stop.IsCancellationRequested)
        {
            // Each read starts a new window of action gaps: a window Redis did not take is folded into the next one, so
            // the gaps of an outage are reported once Redis is back.
            var status = WithWorstGaps(_read(), unsent);
            var stepsPerSecond = rate.Add(TimeProvider.System.GetTimestamp(), status.Steps, TimeProvider.System);
            status = status with { StepsPerSecond = stepsPerSecond, LastSeenUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Reconnects = _connection.Reconnects };
            try
            {
                var database = _connection.Database;
                var json = JsonSerializer.Serialize(status, FleetStatusJsonContext.Default.FleetMemberStatus);
                await database.HashSetAsync(_connection.Keys.Members, _member, json).ConfigureAwait(false);
                unsent = null;
                await database.StringSetAsync(_connection.Keys.Heartbeat(_member), status.Incarnation, options.HeartbeatTtl).ConfigureAwait(false);
                if (_afterBeat is not null)
                {
                    await _afterBeat(database).ConfigureAwait(false);
                }
            }
            catch (Exception error) when (error is RedisException or TimeoutException)
            {
                // Redis is away; the status shows this member as gone until it beats again.
                unsent = status;
            }

            try
            {
                await Task.Delay(options.HeartbeatInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
