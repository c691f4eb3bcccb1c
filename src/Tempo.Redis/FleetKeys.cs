using StackExchange.Redis;

namespace Tempo.Redis;

/// <summary>The Redis keys of one run, all under <c>tempo:v1:{run}:</c>; the <c>v1</c> is the protocol's schema version, so another version's fleet never reads these keys (<c>docs/formats/redis.md</c>).</summary>
internal sealed class FleetKeys
{
    /// <summary>The protocol version in every key.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>The consumer group of the run's learner.</summary>
    public const string Group = "learner";

    /// <summary>The learner's consumer name: one per run, so a restarted learner finds its own pending entries.</summary>
    public const string Consumer = "learner";

    private static readonly System.Buffers.SearchValues<char> _forbidden = System.Buffers.SearchValues.Create(":{} \t\r\n");

    public FleetKeys(string run)
    {
        if (string.IsNullOrWhiteSpace(run) || run.Length > 100 || run.AsSpan().IndexOfAny(_forbidden) >= 0)
        {
            throw new ArgumentException($"--run must be 1–100 characters without ':', braces or spaces; got '{run}'.", nameof(run));
        }

        Run = run;
        var prefix = $"tempo:v{ProtocolVersion}:{run}:";
        Description = prefix + "run";
        Segments = prefix + "segments";
        Policy = prefix + "policy";
        PolicyChannel = RedisChannel.Literal(prefix + "policy");
        Members = prefix + "members";
        HeartbeatPrefix = prefix + "hb:";
        NextActorId = prefix + "actors:next";
        IncarnationPrefix = prefix + "incarnation:";
        Finished = prefix + "finished";
        LearnerLock = prefix + "learner:lock";
    }

    public string Run { get; }

    /// <summary>String: the run description (JSON).</summary>
    public RedisKey Description { get; }

    /// <summary>Stream: one entry per segment.</summary>
    public RedisKey Segments { get; }

    /// <summary>String: the newest encoded policy snapshot.</summary>
    public RedisKey Policy { get; }

    /// <summary>Pub/sub channel: the version of each newly stored snapshot.</summary>
    public RedisChannel PolicyChannel { get; }

    /// <summary>Hash: member id → its last status (JSON); never expires, so gone members stay visible.</summary>
    public RedisKey Members { get; }

    /// <summary>String with a TTL per member: present while the member heartbeats.</summary>
    public string HeartbeatPrefix { get; }

    /// <summary>Counter handing out actor ids.</summary>
    public RedisKey NextActorId { get; }

    /// <summary>Prefix of the counters of each member's process incarnations.</summary>
    public string IncarnationPrefix { get; }

    /// <summary>String: present once the learner has finished the run.</summary>
    public RedisKey Finished { get; }

    /// <summary>String with a TTL: the name of the learner that holds the run, renewed while it lives.</summary>
    public RedisKey LearnerLock { get; }

    public RedisKey Heartbeat(string member) => HeartbeatPrefix + member;

    /// <summary>Counter of a member's process incarnations.</summary>
    public RedisKey Incarnation(string member) => IncarnationPrefix + member;
}
