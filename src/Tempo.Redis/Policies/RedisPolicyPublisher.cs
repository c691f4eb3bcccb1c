using StackExchange.Redis;
using Tempo.Algorithms.Policies;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Redis.Policies;

/// <summary>The learner's publisher: stores each encoded snapshot under the run's policy key and announces its version on the run's channel.</summary>
/// <remarks>
/// <para>
/// A snapshot holding a NaN or infinite weight is refused before anything is sent (counted, and the
/// <see cref="ArgumentException"/> of the <see cref="IPolicyPublisher"/> contract stops the learner), so actors keep the
/// last good policy. A learner that lost the run's <see cref="LearnerLock"/> to another is stopped the same way. If Redis is away, the snapshot is not stored (counted) and the learner trains on; the next update's
/// snapshot replaces it. One buffer is reused: the synchronous store returns only once Redis has the bytes.
/// </para>
/// <para>
/// Versions on the wire are the learner's plus <paramref name="versionOffset"/>: a learner resumed from a checkpoint older
/// than the last snapshot its predecessor published starts above that snapshot, because actors only ever take a newer
/// version (<see cref="Streams.RedisSegmentReader{TObservation, TAction}"/> subtracts the offset from behaviour versions).
/// </para>
/// </remarks>
internal sealed class RedisPolicyPublisher(FleetConnection connection, PolicySnapshotCodec codec, long versionOffset, LearnerLock learnerLock) : IPolicyPublisher
{
    private readonly byte[] _buffer = new byte[codec.EncodedLength];
    private readonly PolicySnapshot _wire = new(codec.WeightCount);
    private long _latest = -1;
    private long _published;
    private long _nonFinite;
    private long _failed;

    /// <summary>The newest learner version stored, or -1.</summary>
    public long Latest => Interlocked.Read(ref _latest);

    /// <summary>Snapshots stored.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Snapshots refused for a NaN or infinite weight.</summary>
    public long NonFinite => Interlocked.Read(ref _nonFinite);

    /// <summary>Snapshots Redis did not take (it was away).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public void Publish(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (learnerLock.LostTo is { } holder)
        {
            throw new ArgumentException($"Another learner ({holder}) took run {connection.Keys.Run} while this one could not renew its lock; this learner stops without publishing policy {snapshot.Version}.", nameof(snapshot));
        }

        if (ContainsNonFinite(snapshot.Weights))
        {
            Interlocked.Increment(ref _nonFinite);
            // The exception says it (the CLI prints it as the learner's last line); the run stays open for a resumed learner.
            throw new ArgumentException(
                $"the update to policy {snapshot.Version} produced a NaN or infinite weight; it was not published and actors keep {(Latest >= 0 ? $"policy v{Latest}" : "their initial weights")}. The learner stops; fix the cause and continue from its checkpoint with --resume.",
                nameof(snapshot));
        }

        if (snapshot.Version.Value <= Latest)
        {
            throw new ArgumentException($"Snapshot {snapshot.Version} is not newer than the published {Latest}.", nameof(snapshot));
        }

        _wire.CopyFrom(new PolicyVersion(snapshot.Version.Value + versionOffset), snapshot.Weights);
        codec.Encode(_wire, _buffer);
        try
        {
            var database = connection.Database;
            database.StringSet(connection.Keys.Policy, _buffer);
            database.Publish(connection.Keys.PolicyChannel, _wire.Version.Value, CommandFlags.FireAndForget);
            Interlocked.Exchange(ref _latest, snapshot.Version.Value);
            Interlocked.Increment(ref _published);
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            Interlocked.Increment(ref _failed);
        }
    }

    private static bool ContainsNonFinite(ReadOnlySpan<float> weights)
    {
        foreach (var weight in weights)
        {
            if (!float.IsFinite(weight))
            {
                return true;
            }
        }

        return false;
    }
}
