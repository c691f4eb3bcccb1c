using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;

namespace Tempo.Algorithms.Learners;

/// <summary>Turns segments of experience into parameter updates and new policy versions.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
public interface ILearner<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>The version of the current weights; each update adds one.</summary>
    PolicyVersion Version { get; }

    /// <summary>Updates the model from <paramref name="segments"/>, which must share one step count.</summary>
    LearnerStatistics Update(IReadOnlyList<Segment<TObservation, TAction>> segments);

    /// <summary>Copies the current weights into a new snapshot for actors.</summary>
    PolicySnapshot Snapshot();

    /// <summary>Overwrites <paramref name="target"/> with the current weights and version, allocating nothing; throws if its weight count differs.</summary>
    void CopySnapshotTo(PolicySnapshot target);
}
