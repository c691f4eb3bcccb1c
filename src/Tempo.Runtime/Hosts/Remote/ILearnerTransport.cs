using Tempo.Algorithms.Experience;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Hosts.Remote;

/// <summary>A learner process's end of a remote transport: where segments arrive, where snapshots go, and the hooks it needs from the learner.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
public interface ILearnerTransport<TObservation, TAction> : IDisposable
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>Where decoded segments come from; the learner host returns them.</summary>
    SegmentPool<TObservation, TAction> Pool { get; }

    /// <summary>Decoded, validated segments; what cannot be decoded is skipped and counted.</summary>
    ISegmentReader<Segment<TObservation, TAction>> Reader { get; }

    /// <summary>Where the learner host publishes each new policy version.</summary>
    IPolicyPublisher Publisher { get; }

    /// <summary>Called on the learner's thread: after each update, every segment read so far has been used (trained on or dropped as stale), which a transport with acknowledgements acknowledges.</summary>
    ITrainingCallbacks Callbacks { get; }

    /// <summary>Starts reporting the learner's progress to the fleet, read through <paramref name="progress"/> from a background thread.</summary>
    void Start(Func<LearnerProcessProgress> progress);

    /// <summary>Tells the fleet the run is over (the budget was reached or the target return met), so actors stop.</summary>
    void Finish();
}
