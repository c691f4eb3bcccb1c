namespace Tempo.Runtime.Hosts.Remote;

/// <summary>Opens a learner's end of a remote transport once the learner process knows its segment and policy shapes.</summary>
/// <remarks>
/// <see cref="Runs.HostRuns.Learn"/> builds an env and the network from <see cref="Runs.RunSettings"/>, then asks for the
/// transport typed by the recipe's element types; a factory refuses (<see cref="ArgumentException"/> saying why) what
/// its fleet cannot take, such as a run of the same name that is still live.
/// </remarks>
public interface ILearnerTransportFactory
{
    /// <summary>Opens the learner's end.</summary>
    ILearnerTransport<TObservation, TAction> OpenLearner<TObservation, TAction>(TransportShape shape)
        where TObservation : unmanaged
        where TAction : unmanaged;
}
