namespace Tempo.Algorithms.Experience;

/// <summary>The shape of a segment: T steps of N envs, with flat observation and action sizes.</summary>
/// <param name="Steps">Steps per env (T).</param>
/// <param name="Envs">Envs stepped together (N).</param>
/// <param name="ObservationSize">Elements of one observation.</param>
/// <param name="ActionSize">Elements of one action (1 for a discrete action).</param>
public readonly record struct SegmentLayout(int Steps, int Envs, int ObservationSize, int ActionSize)
{
    /// <summary>Transitions in the segment: T × N.</summary>
    public int Transitions => Steps * Envs;

    /// <summary>Throws with the offending value unless every size is positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Envs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ObservationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ActionSize);
        _ = checked(Steps * Envs * ObservationSize);
    }
}
