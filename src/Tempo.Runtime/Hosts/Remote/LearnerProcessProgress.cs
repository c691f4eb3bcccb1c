using Tempo.Algorithms.Policies;

namespace Tempo.Runtime.Hosts.Remote;

/// <summary>What a learner process reports about itself to its fleet.</summary>
/// <param name="GlobalStep">The run's env steps, counted from the segments read (a resumed run's earlier steps included).</param>
/// <param name="PolicyVersion">The newest policy version published.</param>
/// <param name="Updates">Updates done by this process.</param>
/// <param name="SegmentsRead">Segments taken from the transport.</param>
/// <param name="SegmentsStale">Segments dropped as older than the policy-lag limit.</param>
public readonly record struct LearnerProcessProgress(long GlobalStep, PolicyVersion PolicyVersion, long Updates, long SegmentsRead, long SegmentsStale);
