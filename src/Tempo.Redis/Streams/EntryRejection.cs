namespace Tempo.Redis.Streams;

/// <summary>Why the learner skipped a stream entry; each is counted, logged, acknowledged, and never reaches the learner.</summary>
public enum EntryRejection
{
    /// <summary>A field is missing or not a number where one is expected.</summary>
    Malformed,

    /// <summary>The segment field is longer than any segment of the run's layout (checked before it is copied).</summary>
    Oversized,

    /// <summary>The segment codec rejected the bytes (truncated, damaged, another run, another layout, invalid values; per reason in the codec's counters).</summary>
    Undecodable,

    /// <summary>This actor incarnation's sequence number was already seen: a redelivery.</summary>
    Duplicate,
}
