using Tempo.Algorithms.Policies;

namespace Tempo.Runtime.Policies;

/// <summary>The actor's side of policy distribution: loads the newest published snapshot into an actor's own policy.</summary>
/// <remarks>
/// Loading rather than handing out the snapshot keeps its buffer private to the source, which may then reuse it: the
/// in-process store recycles a small ring of buffers, a network source decodes into one. Safe to call from several
/// actor threads at once. When the learner is away, nothing newer arrives and actors keep acting with what they have.
/// </remarks>
public interface IPolicySource
{
    /// <summary>The newest published version, or <see langword="null"/> before the first publish; cheap enough to poll at every segment boundary.</summary>
    PolicyVersion? LatestVersion { get; }

    /// <summary>Loads the newest snapshot into <paramref name="policy"/> if it is newer than <paramref name="newerThan"/> (any snapshot when <see langword="null"/>).</summary>
    /// <returns>Whether a snapshot was loaded.</returns>
    bool TryLoadNewer<TObservation, TAction>(IPolicy<TObservation, TAction> policy, PolicyVersion? newerThan)
        where TObservation : unmanaged
        where TAction : unmanaged;
}
