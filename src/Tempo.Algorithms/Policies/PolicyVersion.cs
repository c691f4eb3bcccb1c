namespace Tempo.Algorithms.Policies;

/// <summary>A monotonically increasing policy version: 0 is the initial weights, each learner update adds one.</summary>
/// <param name="Value">The version number.</param>
public readonly record struct PolicyVersion(long Value) : IComparable<PolicyVersion>
{
    /// <summary>The version of the initial weights.</summary>
    public static PolicyVersion Initial => new(0);

    /// <summary>The version after one more update.</summary>
    public PolicyVersion Next() => new(Value + 1);

    /// <summary>How many versions <paramref name="behaviour"/> lags behind this one.</summary>
    public long LagOf(PolicyVersion behaviour) => Value - behaviour.Value;

    /// <inheritdoc/>
    public int CompareTo(PolicyVersion other) => Value.CompareTo(other.Value);

    /// <summary>Whether <paramref name="left"/> is older than <paramref name="right"/>.</summary>
    public static bool operator <(PolicyVersion left, PolicyVersion right) => left.Value < right.Value;

    /// <summary>Whether <paramref name="left"/> is newer than <paramref name="right"/>.</summary>
    public static bool operator >(PolicyVersion left, PolicyVersion right) => left.Value > right.Value;

    /// <summary>Whether <paramref name="left"/> is not newer than <paramref name="right"/>.</summary>
    public static bool operator <=(PolicyVersion left, PolicyVersion right) => left.Value <= right.Value;

    /// <summary>Whether <paramref name="left"/> is not older than <paramref name="right"/>.</summary>
    public static bool operator >=(PolicyVersion left, PolicyVersion right) => left.Value >= right.Value;

    /// <inheritdoc/>
    public override string ToString() => $"v{Value}";
}
