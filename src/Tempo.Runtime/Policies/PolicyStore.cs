using System.Runtime.InteropServices;
using Tempo.Algorithms.Policies;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Runtime.Policies;

/// <summary>The in-process policy store: the learner publishes into a small ring of reusable buffers, actors load the newest.</summary>
/// <remarks>
/// <para>
/// Why a ring and leases: publishing after every update must not allocate a weight array, so buffers are reused; and
/// an actor loading buffer b must never see b overwritten. A reader leases the newest slot (a count, under a lock held
/// for a few instructions), loads from it outside the lock, then releases it. A publisher writes only into a slot that
/// is neither the newest nor leased; readers lease only the newest, so no reader can start on a slot being written, and
/// no slot being read is chosen for writing. The ring holds at most one slot per concurrent reader, plus the newest,
/// plus the one being written, and grows to that once: with K actors, K + 2 buffers and no allocation after that.
/// </para>
/// <para>The newest version is also kept in a volatile field, so an actor's check "is there anything newer?" takes no lock.</para>
/// </remarks>
public sealed class PolicyStore : IPolicyPublisher, IPolicySource
{
    private readonly Lock _lock = new();
    private readonly List<Slot> _slots = [];
    private readonly int _weightCount;
    private Slot? _latest;
    private Slot? _writing;
    private long _latestVersion = -1;
    private long _published;

    /// <summary>Creates an empty store for snapshots of <paramref name="weightCount"/> weights.</summary>
    public PolicyStore(int weightCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weightCount);
        _weightCount = weightCount;
    }

    /// <summary>Snapshots published so far, and buffers the ring allocated for them (bounded by concurrent readers + 2).</summary>
    public PolicyStoreStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                return new PolicyStoreStatistics(_published, _slots.Count);
            }
        }
    }

    /// <inheritdoc/>
    public PolicyVersion? LatestVersion
    {
        get
        {
            var version = Volatile.Read(ref _latestVersion);
            return version < 0 ? null : new PolicyVersion(version);
        }
    }

    /// <inheritdoc/>
    public void Publish(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.WeightCount != _weightCount)
        {
            throw new ArgumentException($"The store holds snapshots of {_weightCount} weights; got {snapshot.WeightCount}.", nameof(snapshot));
        }

        ReadOnlySpan<float> weights = snapshot.Weights;
        if (WireValues.ContainsNonFinite(weights))
        {
            var index = IndexOfNonFinite(weights);
            throw new ArgumentException($"Snapshot {snapshot.Version} holds a non-finite weight ({weights[index]} at index {index}); it was not published.", nameof(snapshot));
        }

        Slot slot;
        lock (_lock)
        {
            ThrowUnlessNewer(snapshot.Version);
            if (_writing is not null)
            {
                throw new InvalidOperationException("Another snapshot is being published; a policy store has one publisher.");
            }

            slot = FreeSlotLocked();
            _writing = slot;
        }

        // No reader can lease this slot (it is not the newest) and none holds it (its lease count is zero).
        var copied = false;
        try
        {
            slot.Snapshot.CopyFrom(snapshot);
            copied = true;
        }
        finally
        {
            lock (_lock)
            {
                _writing = null;
                if (copied)
                {
                    _latest = slot;
                    _published++;
                    Volatile.Write(ref _latestVersion, snapshot.Version.Value);
                }
            }
        }
    }

    /// <inheritdoc/>
    public bool TryLoadNewer<TObservation, TAction>(IPolicy<TObservation, TAction> policy, PolicyVersion? newerThan)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(policy);
        var latest = Volatile.Read(ref _latestVersion);
        if (latest < 0 || (newerThan is { } current && latest <= current.Value))
        {
            return false;
        }

        Slot slot;
        lock (_lock)
        {
            slot = _latest!;
            slot.Leases++;
        }

        try
        {
            policy.Load(slot.Snapshot);
        }
        finally
        {
            lock (_lock)
            {
                slot.Leases--;
            }
        }

        return true;
    }

    private void ThrowUnlessNewer(PolicyVersion version)
    {
        var latest = Volatile.Read(ref _latestVersion);
        if (latest >= 0 && version.Value <= latest)
        {
            throw new ArgumentException($"Snapshot {version} is not newer than the published {new PolicyVersion(latest)}.", nameof(version));
        }
    }

    private Slot FreeSlotLocked()
    {
        foreach (var slot in CollectionsMarshal.AsSpan(_slots))
        {
            if (slot != _latest && slot.Leases == 0)
            {
                return slot;
            }
        }

        // Every slot is the newest or leased: grow once; the ring never needs more than readers + 2.
        var grown = new Slot(_weightCount);
        _slots.Add(grown);
        return grown;
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> weights)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            if (!float.IsFinite(weights[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>One reusable buffer of the ring, with the number of readers loading from it now (guarded by the store's lock).</summary>
    private sealed class Slot(int weightCount)
    {
        public PolicySnapshot Snapshot { get; } = new(weightCount);

        public int Leases { get; set; }
    }
}
