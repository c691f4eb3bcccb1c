using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>Wraps a real learner, logging each update and keeping a copy of the observations of every segment it was given.</summary>
internal sealed class RecordingLearner(ILearner<float, int> inner, CallLog log) : ILearner<float, int>
{
    /// <summary>Per update, per segment: the segment's observations, <c>[T, N, observationSize]</c>.</summary>
    public List<float[][]> SegmentObservations { get; } = [];

    public List<PolicyVersion> BehaviourVersions { get; } = [];

    public PolicyVersion Version => inner.Version;

    public LearnerStatistics Update(IReadOnlyList<Segment<float, int>> segments)
    {
        log.Add("Update");
        SegmentObservations.Add(segments.Select(s => s.Observations.ToArray()).ToArray());
        BehaviourVersions.AddRange(segments.Select(s => s.BehaviourVersion));
        return inner.Update(segments);
    }

    public PolicySnapshot Snapshot() => inner.Snapshot();

    public void CopySnapshotTo(PolicySnapshot target) => inner.CopySnapshotTo(target);
}
