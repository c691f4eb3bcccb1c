using System.Globalization;
using StackExchange.Redis;

namespace Tempo.Redis;

/// <summary>The one-learner-per-run lock: a key holding this learner's name with a TTL, renewed while the learner lives, so a second learner is refused and one that dies (even by <c>kill -9</c>) frees the run within the TTL.</summary>
/// <remarks>
/// <para>
/// Taking it waits while the key's TTL runs down without being renewed (a dead holder), up to one TTL and a renewal
/// period; a holder seen renewing is alive, and the newcomer is refused at once with the holder's name. Renewal runs on a
/// task of its own every <see cref="RedisFleetOptions.LearnerLockTtl"/> / 5, so four renewals in a row may be late or lost
/// before the lock lapses.
/// </para>
/// <para>
/// A Redis that restarts empty loses the key; the next renewal takes it again. If another learner holds it by then (this
/// one stalled for a whole TTL), this lock is <see cref="Lost"/> and the learner stops at its next publish.
/// </para>
/// </remarks>
internal sealed class LearnerLock : IDisposable
{
    private static readonly TimeSpan _poll = TimeSpan.FromMilliseconds(200);

    private readonly FleetConnection _connection;
    private readonly TimeSpan _ttl;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;
    private volatile string? _lostTo;

    private LearnerLock(FleetConnection connection, string holder)
    {
        _connection = connection;
        _ttl = connection.Options.LearnerLockTtl;
        Holder = holder;
        _renewal = Task.Run(RenewLoopAsync);
    }

    /// <summary>What this learner wrote into the key: its host, process id and start time.</summary>
    public string Holder { get; }

    /// <summary>Whether another learner took the lock from this one.</summary>
    public bool Lost => _lostTo is not null;

    /// <summary>The learner that took the lock from this one, or null.</summary>
    public string? LostTo => _lostTo;

    /// <summary>Takes the run's lock, waiting out a dead holder's TTL.</summary>
    /// <exception cref="ArgumentException">A live learner holds the run (the message names it).</exception>
    public static LearnerLock Take(FleetConnection connection)
    {
        var database = connection.Database;
        var key = connection.Keys.LearnerLock;
        var ttl = connection.Options.LearnerLockTtl;
        var holder = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName} pid {Environment.ProcessId} since {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}");
        var deadline = DateTime.UtcNow + ttl + (2 * RenewalPeriod(ttl));
        TimeSpan? lastTtl = null;
        string? lastHolder = null;
        while (true)
        {
            if (database.LockTake(key, holder, ttl))
            {
                return new LearnerLock(connection, holder);
            }

            var current = (string?)database.StringGet(key);
            var remaining = database.KeyTimeToLive(key);
            if (current is not null && current == lastHolder && remaining is { } now && lastTtl is { } before && now > before + _poll)
            {
                throw Refusal(connection, current, "renews its lock");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw Refusal(connection, current ?? "unknown", $"held the lock for longer than its TTL ({ttl.TotalSeconds:F0} s)");
            }

            (lastHolder, lastTtl) = (current, remaining);
            Thread.Sleep(_poll);
        }
    }

    /// <summary>Stops renewing and deletes the key if this learner still holds it.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _renewal.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled mid-renewal.
        }

        try
        {
            if (!Lost)
            {
                _connection.Database.LockRelease(_connection.Keys.LearnerLock, Holder);
            }
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            // Redis is away: the key lapses by itself within the TTL.
        }

        _stop.Dispose();
    }

    private static TimeSpan RenewalPeriod(TimeSpan ttl) => ttl / 5;

    private static ArgumentException Refusal(FleetConnection connection, string holder, string why) =>
        new($"Run {connection.Keys.Run} already has a learner, {holder}, which {why}; stop it first (its lock expires {connection.Options.LearnerLockTtl.TotalSeconds:F0} s after it dies), or pick another --run.");

    private async Task RenewLoopAsync()
    {
        var period = RenewalPeriod(_ttl);
        var key = _connection.Keys.LearnerLock;
        while (!_stop.IsCancellationRequested && !Lost)
        {
            try
            {
                await Task.Delay(period, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var database = _connection.Database;
                if (await database.LockExtendAsync(key, Holder, _ttl).ConfigureAwait(false) || await database.LockTakeAsync(key, Holder, _ttl).ConfigureAwait(false))
                {
                    continue;
                }

                // Neither ours nor free: another learner took the run while this one could not renew.
                _lostTo = (string?)await database.StringGetAsync(key).ConfigureAwait(false) ?? "another learner";
                _connection.Log($"learner lock of run {_connection.Keys.Run} lost to {_lostTo}; this learner stops at its next publish");
            }
            catch (Exception error) when (error is RedisException or TimeoutException)
            {
                // Redis is away; the next period tries again (the key, if Redis kept it, lapses only after four misses).
            }
        }
    }
}
