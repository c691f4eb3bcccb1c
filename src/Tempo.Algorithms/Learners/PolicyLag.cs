using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;

namespace Tempo.Algorithms.Learners;

/// <summary>How stale a batch of segments is: learner version minus behaviour version, per transition.</summary>
/// <param name="Mean">Mean lag over the batch's transitions.</param>
/// <param name="Max">Largest lag among its segments.</param>
public readonly record struct PolicyLag(double Mean, long Max)
{
    /// <summary>Measures the lag of <paramref name="segments"/> behind <paramref name="learnerVersion"/>; throws if any segment claims a newer policy.</summary>
    /// <exception cref="ArgumentException">A segment is null or was acted by a policy newer than the learner's.</exception>
    public static PolicyLag Measure<TObservation, TAction>(IReadOnlyList<Segment<TObservation, TAction>> segments, PolicyVersion learnerVersion)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(segments);
        double weighted = 0;
        long transitions = 0;
        long max = 0;
        for (var k = 0; k < segments.Count; k++)
        {
            var segment = segments[k] ?? throw new ArgumentException($"Segment {k} is null.", nameof(segments));
            var lag = learnerVersion.LagOf(segment.BehaviourVersion);
            if (lag < 0)
            {
                // A behaviour policy newer than the learner cannot exist: the segment belongs to another run or learner.
                throw new ArgumentException(
                    $"Segment {segment.Sequence} from {segment.Actor} was acted by policy {segment.BehaviourVersion}, newer than the learner's {learnerVersion}; it cannot come from this learner.",
                    nameof(segments));
            }

            weighted += (double)lag * segment.Layout.Transitions;
            transitions += segment.Layout.Transitions;
            max = Math.Max(max, lag);
        }

        return new PolicyLag(transitions == 0 ? 0 : weighted / transitions, max);
    }
}
