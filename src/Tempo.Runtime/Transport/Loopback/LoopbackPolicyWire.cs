using Tempo.Algorithms.Policies;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Runtime.Transport.Loopback;

/// <summary>Policy distribution through encoded bytes: the learner's side encodes each snapshot, the actors' side decodes the newest message into a local policy store and loads from there.</summary>
/// <remarks>
/// <para>
/// This is the shape of a remote actor host: what arrives is bytes, one receiver decodes them into a store of its own,
/// and actors load from that store. Two message buffers alternate: the publisher encodes into the spare one outside
/// the lock and swaps under it, and a decoder reads the current one under the lock, so neither ever sees a buffer
/// being written. The first actor to notice a newer version decodes it; the others find the local store up to date.
/// </para>
/// <para>
/// A snapshot holding a NaN or infinite weight, or not newer than the last, is refused before encoding (the
/// <see cref="IPolicyPublisher"/> contract), so it never crosses; the decoder checks again and counts what it rejects.
/// </para>
/// </remarks>
internal sealed class LoopbackPolicyWire : IPolicyPublisher, IPolicySource
{
    private readonly Lock _wireLock = new();
    private readonly PolicySnapshotCodec _codec;
    private readonly PolicyStore _local;
    private readonly PolicySnapshot _decoded;
    private byte[] _current;
    private byte[] _spare;
    private long _wireVersion = -1;
    private long _attemptedVersion = -1;
    private long _encoded;
    private long _decodedCount;
    private long _rejected;

    public LoopbackPolicyWire(PolicySnapshotCodec codec)
    {
        _codec = codec;
        _local = new PolicyStore(codec.WeightCount);
        _decoded = new PolicySnapshot(codec.WeightCount);
        _current = new byte[codec.EncodedLength];
        _spare = new byte[codec.EncodedLength];
    }

    /// <summary>Snapshots encoded and sent.</summary>
    public long Encoded => Interlocked.Read(ref _encoded);

    /// <summary>Messages decoded into the actors' local store.</summary>
    public long Decoded => Interlocked.Read(ref _decodedCount);

    /// <summary>Messages the codec rejected (per reason in its counters).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <inheritdoc/>
    /// <remarks>The newest version the actors' side has decoded; a newer message is decoded first.</remarks>
    public PolicyVersion? LatestVersion
    {
        get
        {
            ReceiveIfNewer();
            return _local.LatestVersion;
        }
    }

    /// <inheritdoc/>
    public void Publish(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.WeightCount != _codec.WeightCount)
        {
            throw new ArgumentException($"The wire carries snapshots of {_codec.WeightCount} weights; got {snapshot.WeightCount}.", nameof(snapshot));
        }

        ReadOnlySpan<float> weights = snapshot.Weights;
        if (WireValues.ContainsNonFinite(weights))
        {
            throw new ArgumentException($"Snapshot {snapshot.Version} holds a NaN or infinite weight; it was not published.", nameof(snapshot));
        }

        var latest = Volatile.Read(ref _wireVersion);
        if (latest >= 0 && snapshot.Version.Value <= latest)
        {
            throw new ArgumentException($"Snapshot {snapshot.Version} is not newer than the published {new PolicyVersion(latest)}.", nameof(snapshot));
        }

        // One publisher: the spare buffer is this thread's until the swap.
        _codec.Encode(snapshot, _spare);
        lock (_wireLock)
        {
            (_current, _spare) = (_spare, _current);
            Volatile.Write(ref _wireVersion, snapshot.Version.Value);
        }

        Interlocked.Increment(ref _encoded);
    }

    /// <inheritdoc/>
    public bool TryLoadNewer<TObservation, TAction>(IPolicy<TObservation, TAction> policy, PolicyVersion? newerThan)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ReceiveIfNewer();
        return _local.TryLoadNewer(policy, newerThan);
    }

    private void ReceiveIfNewer()
    {
        if (Volatile.Read(ref _wireVersion) <= Volatile.Read(ref _attemptedVersion))
        {
            return;
        }

        lock (_wireLock)
        {
            // Another actor may have taken this message while this one waited for the lock; each message is decoded once.
            var wire = _wireVersion;
            if (wire <= _attemptedVersion)
            {
                return;
            }

            Volatile.Write(ref _attemptedVersion, wire);
            if (!_codec.TryDecode(_current, _decoded, out _))
            {
                // Actors keep acting with what they have; the counter tells.
                Interlocked.Increment(ref _rejected);
                return;
            }

            _local.Publish(_decoded);
            Interlocked.Increment(ref _decodedCount);
        }
    }
}
