using StackExchange.Redis;

namespace Tempo.Redis;

/// <summary>One process's connection to the fleet's Redis: the multiplexer, the run's keys, and counters of lost and restored connections.</summary>
internal sealed class FleetConnection : IDisposable
{
    private long _reconnects;
    private int _warnedDown;

    private FleetConnection(ConnectionMultiplexer multiplexer, FleetKeys keys, RedisFleetOptions options)
    {
        Multiplexer = multiplexer;
        Keys = keys;
        Options = options;
        Database = multiplexer.GetDatabase();
        multiplexer.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive && Interlocked.Exchange(ref _warnedDown, 1) == 0)
            {
                Log($"redis connection lost ({e.FailureType}); retrying with backoff");
            }
        };
        multiplexer.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                Interlocked.Increment(ref _reconnects);
                Interlocked.Exchange(ref _warnedDown, 0);
                Log("redis connection restored");
            }
        };
    }

    public ConnectionMultiplexer Multiplexer { get; }

    public IDatabase Database { get; }

    public FleetKeys Keys { get; }

    public RedisFleetOptions Options { get; }

    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Connects, failing with a message that names the URL (never the password) if Redis cannot be reached at all.</summary>
    public static FleetConnection Connect(RedisUrl url, string run, RedisFleetOptions options)
    {
        var keys = new FleetKeys(run);
        var configuration = url.ToConfigurationOptions();
        if (options.TlsCaFile is { } ca)
        {
            if (!url.Tls)
            {
                throw new ArgumentException($"--redis-ca {ca} is for TLS; the URL {url} is not rediss://.");
            }

            if (!File.Exists(ca))
            {
                throw new ArgumentException($"--redis-ca {ca}: no such file.");
            }

            // Only certificates this authority issued are accepted; the host name is still checked against the certificate.
            configuration.TrustIssuer(ca);
        }

        // The client's first attempts may all time out on a loaded machine (a TLS handshake in a cold process takes seconds
        // there); it keeps trying in the background, so a slow server gets up to ConnectWait before it counts as
        // unreachable. Its own blocking attempts (ConnectTimeout × ConnectRetry) are held within that wait too.
        var wait = options.ConnectWait;
        configuration.ConnectTimeout = (int)Math.Min(configuration.ConnectTimeout, Math.Max(1, wait.TotalMilliseconds / configuration.ConnectRetry));
        var multiplexer = ConnectionMultiplexer.Connect(configuration);
        var deadline = DateTime.UtcNow + wait;
        while (!multiplexer.IsConnected && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        if (!multiplexer.IsConnected)
        {
            var status = multiplexer.GetStatus();
            multiplexer.Dispose();
            throw new InvalidOperationException($"Cannot reach Redis at {url}: {FirstLine(status)}");
        }

        return new FleetConnection(multiplexer, keys, options);
    }

    public void Log(string message) => Options.Log?.Invoke(message);

    public void Dispose() => Multiplexer.Dispose();

    private static string FirstLine(string text)
    {
        var line = text.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).ToString();
    }
}
