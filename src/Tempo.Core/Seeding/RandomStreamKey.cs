namespace Tempo.Core.Seeding;

/// <summary>Names one random stream of a run (the learner's, the synchronous actor's policy, asynchronous actor k's), as its checkpoint stores it.</summary>
/// <param name="Name">The name the checkpoint file stores it under.</param>
public readonly record struct RandomStreamKey(string Name)
{
    /// <summary>The learner's stream (minibatch and trajectory shuffles).</summary>
    public static RandomStreamKey Learner { get; } = new("learner");

    /// <summary>The synchronous schedule's acting policy's stream (action sampling).</summary>
    public static RandomStreamKey Policy { get; } = new("policy");

    /// <summary>Actor <paramref name="index"/>'s stream (action sampling): an asynchronous actor's, or on the synchronous schedule the actor of data-parallel rank <paramref name="index"/> ≥ 1 (rank 0's is <see cref="Policy"/>).</summary>
    public static RandomStreamKey Actor(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new($"actor-{index}");
    }

    /// <summary>Data-parallel learner rank <paramref name="rank"/>'s stream (its minibatch shuffles), for ranks ≥ 1; rank 0's is <see cref="Learner"/>.</summary>
    public static RandomStreamKey LearnerRank(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rank);
        return new($"learner-{rank}");
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
