namespace Tempo.Runtime.Hosts.Remote;

/// <summary>Opens an actor process's end of a remote transport once it knows its segment and policy shapes.</summary>
/// <remarks>
/// <see cref="Runs.HostRuns.Act"/> builds envs and the network from the run's settings, then asks for the transport; a
/// factory refuses (<see cref="ArgumentException"/> saying why) a shape that differs from the learner's.
/// </remarks>
public interface IActorTransportFactory
{
    /// <summary>Opens the end of a process with <paramref name="actors"/> actors.</summary>
    IActorTransport<TObservation, TAction> OpenActors<TObservation, TAction>(TransportShape shape, int actors)
        where TObservation : unmanaged
        where TAction : unmanaged;
}
