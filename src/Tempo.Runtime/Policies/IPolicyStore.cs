using Tempo.Algorithms.Policies;
namespace Tempo.Runtime.Policies;

/// <summary>Where the learner publishes policy snapshots and actors take the newest one.</summary>
public interface IPolicyStore
{
    /// <summary>Makes <paramref name="snapshot"/> the newest; never blocks readers. Older versions are rejected.</summary>
    void Publish(PolicySnapshot snapshot);

    /// <summary>Returns the newest snapshot, if any was published.</summary>
    bool TryGetLatest(out PolicySnapshot snapshot);

    /// <summary>Waits until a snapshot newer than <paramref name="current"/> is published and returns it.</summary>
    ValueTask<PolicySnapshot> WaitForNewerAsync(PolicyVersion current, CancellationToken cancellationToken = default);
}
