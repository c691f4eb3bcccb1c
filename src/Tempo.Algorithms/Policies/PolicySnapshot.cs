namespace Tempo.Algorithms.Policies;

/// <summary>A policy's weights tagged with their version: what the learner publishes and actors load.</summary>
/// <remarks>
/// <para>Weights are the flat concatenation of the network's parameters in their enumeration order.</para>
/// <para>
/// A snapshot is a reusable buffer of a fixed weight count, like a segment: whoever owns it (a learner host's
/// scratch copy, a policy store's ring slot, a codec's decode target) overwrites it with <see cref="CopyFrom(PolicyVersion, ReadOnlySpan{float})"/>,
/// so publishing after every update allocates nothing. Whoever is handed one to read (<see cref="IPolicy{TObservation, TAction}.Load"/>)
/// must copy what it needs before returning and not keep it. When a snapshot crosses a process boundary, the run id and
/// a checksum travel with it in the wire message (<c>docs/formats/snapshot.md</c>).
/// </para>
/// </remarks>
public sealed class PolicySnapshot
{
    private readonly float[] _weights;

    /// <summary>Creates a snapshot of <paramref name="weightCount"/> zero weights at <see cref="PolicyVersion.Initial"/>, to be overwritten.</summary>
    public PolicySnapshot(int weightCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weightCount);
        _weights = new float[weightCount];
    }

    /// <summary>Creates a snapshot over a private copy of <paramref name="weights"/>.</summary>
    public PolicySnapshot(PolicyVersion version, ReadOnlySpan<float> weights)
    {
        Version = version;
        _weights = weights.ToArray();
    }

    /// <summary>The version these weights belong to.</summary>
    public PolicyVersion Version { get; set; }

    /// <summary>Number of weights; fixed for the snapshot's life.</summary>
    public int WeightCount => _weights.Length;

    /// <summary>The weights; writable by the snapshot's owner only.</summary>
    public Span<float> Weights => _weights;

    /// <summary>Overwrites the weights and version; throws if <paramref name="weights"/> has another length.</summary>
    public void CopyFrom(PolicyVersion version, ReadOnlySpan<float> weights)
    {
        if (weights.Length != _weights.Length)
        {
            throw new ArgumentException($"The snapshot holds {_weights.Length} weights; got {weights.Length}.", nameof(weights));
        }

        weights.CopyTo(_weights);
        Version = version;
    }

    /// <summary>Overwrites the weights and version with <paramref name="source"/>'s; throws if it has another weight count.</summary>
    public void CopyFrom(PolicySnapshot source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CopyFrom(source.Version, source._weights);
    }

    /// <inheritdoc/>
    public override string ToString() => $"PolicySnapshot({Version}, {_weights.Length} weights)";
}
