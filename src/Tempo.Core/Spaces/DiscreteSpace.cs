namespace Tempo.Core.Spaces;

/// <summary>The integers <c>Start, Start + 1, …, Start + N − 1</c>; a value is one <see cref="int"/>.</summary>
public sealed class DiscreteSpace : Space<int>
{
    /// <summary>Creates a space of <paramref name="n"/> choices starting at <paramref name="start"/>.</summary>
    public DiscreteSpace(int n, int start = 0)
        : base([])
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        N = n;
        Start = start;
    }

    /// <summary>The number of choices.</summary>
    public int N { get; }

    /// <summary>The smallest choice.</summary>
    public int Start { get; }

    /// <summary>Whether a single value is a member.</summary>
    public bool Contains(int value) => (uint)(value - Start) < (uint)N;

    /// <inheritdoc/>
    public override bool Contains(ReadOnlySpan<int> value) => value.Length == 1 && Contains(value[0]);

    /// <inheritdoc/>
    public override void Sample(Random random, Span<int> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        RequireLength(destination.Length, nameof(destination));
        destination[0] = Start + random.Next(N);
    }

    /// <inheritdoc/>
    public override string ToString() => Start == 0 ? $"Discrete({N})" : $"Discrete({N}, start={Start})";
}
