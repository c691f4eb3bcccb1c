namespace Tempo.Algorithms.Policies;

/// <summary>An immutable copy of a policy's weights, tagged with its version.</summary>
/// <remarks>Weights are the flat concatenation of the network's parameters in their enumeration order.</remarks>
public sealed class PolicySnapshot
{
    private readonly float[] _weights;

    /// <summary>Creates a snapshot over a private copy of <paramref name="weights"/>.</summary>
    public PolicySnapshot(PolicyVersion version, ReadOnlySpan<float> weights)
    {
        Version = version;
        _weights = weights.ToArray();
    }

    /// <summary>The version these weights belong to.</summary>
    public PolicyVersion Version { get; }

    /// <summary>The weights, read-only.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <inheritdoc/>
    public override string ToString() => $"PolicySnapshot({Version}, {_weights.Length} weights)";
}
