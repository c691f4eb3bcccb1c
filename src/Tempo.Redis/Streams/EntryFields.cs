using StackExchange.Redis;

namespace Tempo.Redis.Streams;

/// <summary>The field names of a segment entry in the run's stream (<c>docs/formats/redis.md</c>).</summary>
internal static class EntryFields
{
    /// <summary>The actor process's incarnation (decimal integer ≥ 1).</summary>
    public static readonly RedisValue Incarnation = "inc";

    /// <summary>The sender's sequence number for this actor and incarnation (decimal integer ≥ 0), counted by the sender, so duplicates are recognised.</summary>
    public static readonly RedisValue Sequence = "seq";

    /// <summary>The segment, encoded by the segment codec.</summary>
    public static readonly RedisValue Segment = "seg";
}
