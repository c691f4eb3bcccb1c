using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;

namespace Tempo.Algorithms.Learners;

/// <summary>Turns segments of experience into parameter updates and new policy versions: the schedule's view of a learner.</summary>
/// <remarks>
/// An update takes the segments the schedule hands over; what it does with them is the algorithm's business. An
/// on-policy learner trains on them at once; a learner that trains from replay stores them and takes as many gradient
/// steps as its own pace says, possibly none (<see cref="LearnerStatistics.GradientSteps"/>).
/// </remarks>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
public interface ILearner<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>The version of the current weights; it moves forward whenever an update changes them.</summary>
    PolicyVersion Version { get; }

    /// <summary>Updates the learner from <paramref name="segments"/> and returns what the update measured.</summary>
    /// <returns>The learner's own statistics instance, overwritten by its next update (copy it to keep it longer).</returns>
    LearnerStatistics Update(IReadOnlyList<Segment<TObservation, TAction>> segments);

    /// <summary>Copies the current weights into a new snapshot for actors.</summary>
    PolicySnapshot Snapshot();

    /// <summary>Overwrites <paramref name="target"/> with the current weights and version, allocating nothing; throws if its weight count differs.</summary>
    void CopySnapshotTo(PolicySnapshot target);
}
