namespace Tempo.Redis;

/// <summary>Bounds and periods of a Redis fleet; the defaults suit a LAN and CartPole- to Atari-sized segments.</summary>
public sealed record RedisFleetOptions
{
    /// <summary>Segments an actor process buffers while Redis is away; beyond it the oldest is dropped and counted.</summary>
    public int OutboxCapacity { get; init; } = 64;

    /// <summary>Entries the run's stream may hold unread by the learner before a simulator's actors wait (a live world's never do): a simulator outruns any learner, and waiting keeps its segments fresh and none trimmed unread. Each actor process looks every <see cref="BacklogCheckEvery"/> sends, so the stream holds at most this plus that many per process.</summary>
    public int SimulatorBacklog { get; init; } = 256;

    /// <summary>How many entries a simulator's actor process sends between two looks at the backlog (<c>XINFO GROUPS</c>); it looks before every send once its estimate reaches <see cref="SimulatorBacklog"/>.</summary>
    public int BacklogCheckEvery { get; init; } = 8;

    /// <summary>Approximate cap of the run's stream (<c>XADD MAXLEN ~</c>): a learner that is away for long loses the oldest entries rather than Redis its memory.</summary>
    public int StreamMaxLength { get; init; } = 10_000;

    /// <summary>How often each process writes its status.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a status stays alive without a new heartbeat; after it the member is shown as gone.</summary>
    public TimeSpan HeartbeatTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an actor process asks for the newest snapshot when no notification arrived (pub/sub is not durable: a notice sent while it was disconnected is lost).</summary>
    public TimeSpan PolicyPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the run's learner lock outlives its holder: a learner killed without warning frees the run for a restarted one within this time, and a second learner is refused while the holder renews.</summary>
    public TimeSpan LearnerLockTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long connecting waits for Redis to answer before it fails: 30 s, so a learner or actor starting on a loaded machine (a game client starting beside a busy learner; a TLS handshake in a cold process takes seconds there, and at load 41 on 2 cores 10 s was not enough) is not refused, while a wrong address is still reported within the half minute an actor also waits for its learner's run (its <c>--wait</c> is 60 s). A reader that polls (the dashboard) sets about its poll period, so a Redis that is down costs each read that long and one back up is seen at the next read.</summary>
    public TimeSpan ConnectWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Entries the learner asks for per read.</summary>
    public int ReadBatch { get; init; } = 32;

    /// <summary>A PEM file of the certificate authority that signed a TLS (<c>rediss://</c>) server's certificate, for a server the system does not trust (a private CA, a self-signed certificate); null to trust the system's authorities only.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>Where warnings go (a rejected entry, a lost connection), or <see langword="null"/> for nowhere.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(OutboxCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(StreamMaxLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ReadBatch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SimulatorBacklog);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BacklogCheckEvery);
        if (LearnerLockTtl < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"The learner lock's TTL must be at least 1 s (it is renewed every fifth of it); got {LearnerLockTtl}.");
        }

        if (ConnectWait <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The connect wait must be positive; got {ConnectWait}.");
        }

        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatTtl <= HeartbeatInterval || PolicyPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Heartbeats need 0 < interval < TTL and a positive policy poll; got interval {HeartbeatInterval}, TTL {HeartbeatTtl}, poll {PolicyPollInterval}.");
        }
    }
}
