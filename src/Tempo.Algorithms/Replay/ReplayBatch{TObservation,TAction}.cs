namespace Tempo.Algorithms.Replay;

/// <summary>A batch drawn from a replay buffer, in buffers sized once and reused: what a learner's gradient step reads.</summary>
/// <remarks>Transition k started at <c>Observations[k]</c>, took <c>Actions[k]</c>, collected the n-step return
/// <c>Rewards[k]</c> and bootstraps from <c>NextObservations[k]</c> with the factor <c>Discounts[k]</c>: γ^m after m
/// steps, or 0 when the episode terminated inside the window (then the next observation is not meaningful).</remarks>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
public sealed class ReplayBatch<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>Allocates a batch of <paramref name="size"/> transitions.</summary>
    public ReplayBatch(int size, int observationSize, int actionSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        Size = size;
        Observations = new TObservation[checked(size * observationSize)];
        NextObservations = new TObservation[checked(size * observationSize)];
        Actions = new TAction[checked(size * actionSize)];
        Rewards = new float[size];
        Discounts = new float[size];
        Weights = new float[size];
        Ids = new long[size];
    }

    /// <summary>Transitions in the batch.</summary>
    public int Size { get; }

    /// <summary>Starting observations, <c>[batch, observationSize]</c>.</summary>
    public TObservation[] Observations { get; }

    /// <summary>Bootstrap observations, <c>[batch, observationSize]</c>.</summary>
    public TObservation[] NextObservations { get; }

    /// <summary>Actions, <c>[batch, actionSize]</c>.</summary>
    public TAction[] Actions { get; }

    /// <summary>n-step discounted returns, <c>[batch]</c>.</summary>
    public float[] Rewards { get; }

    /// <summary>Bootstrap factors: γ^m, or 0 after termination, <c>[batch]</c>.</summary>
    public float[] Discounts { get; }

    /// <summary>Importance-sampling weights (all 1 under uniform sampling), <c>[batch]</c>.</summary>
    public float[] Weights { get; }

    /// <summary>The transitions' ids, to update their priorities.</summary>
    public long[] Ids { get; }
}
