using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Core.Spaces;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Hosts.Remote;

/// <summary>What a host process built from a run's settings, for a remote transport to size its buffers and check that both ends agree.</summary>
/// <param name="Layout">The layout of every segment.</param>
/// <param name="WeightCount">The policy's weight count.</param>
/// <param name="ObservationSpace">The env's observation space.</param>
/// <param name="ActionSpace">The env's action space.</param>
/// <param name="Model">The network both ends build.</param>
/// <param name="PoolCapacity">Segments the transport's pool should keep: enough for what is in hand, queued and batched.</param>
public sealed record TransportShape(SegmentLayout Layout, int WeightCount, ISpace ObservationSpace, ISpace ActionSpace, ModelSpec Model, int PoolCapacity)
{
    /// <summary>What an actor's buffer does when full: a live world never waits (the oldest is dropped, counted); a simulator's actor waits for room, so nothing it collects is thrown away.</summary>
    public QueueFullMode WhenFull { get; init; } = QueueFullMode.DropOldest;

    /// <summary>The learner's policy version when it starts (a resumed run's checkpoint version; 0 for a new run): a transport whose actors may hold newer versions from a learner that died after its checkpoint must keep the versions they see increasing.</summary>
    public PolicyVersion LearnerVersion { get; init; }

    /// <summary>For integer actions from a discrete space starting at 0, the number of actions (the codec rejects others); otherwise <see langword="null"/>.</summary>
    public int? DiscreteActionCount => ActionSpace is DiscreteSpace { Start: 0 } discrete ? discrete.N : null;
}
