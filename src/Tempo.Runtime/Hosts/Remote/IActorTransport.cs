using Tempo.Algorithms.Experience;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Hosts.Remote;

/// <summary>An actor process's end of a remote transport: where segments go, where policies come from, and who the process's actors are in the fleet.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
public interface IActorTransport<TObservation, TAction> : IDisposable
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>The fleet-wide ids of this process's actors, one per actor.</summary>
    IReadOnlyList<ActorId> ActorIds { get; }

    /// <summary>A number no other process of the fleet shares (not even this actor's past incarnations), mixed into env seeds and sampling streams so a restarted process does not replay its past self.</summary>
    long ProcessSalt { get; }

    /// <summary>Where actors rent segments; the writer returns them once encoded.</summary>
    SegmentPool<TObservation, TAction> Pool { get; }

    /// <summary>Takes filled segments without ever blocking the actor's thread.</summary>
    ISegmentWriter<Segment<TObservation, TAction>> Writer { get; }

    /// <summary>The newest policy the fleet has, loaded without network I/O on the caller's thread.</summary>
    IPolicySource Policies { get; }

    /// <summary>Cancelled when the fleet says the run is over (its learner finished).</summary>
    CancellationToken RunFinished { get; }

    /// <summary>Starts reporting this process's progress to the fleet, read through <paramref name="progress"/> from a background thread (each read starts a new window of action gaps).</summary>
    void Start(Func<ActorProcessProgress> progress);
}
