namespace Tempo.Core.Spaces;

/// <summary>A vector of independent discrete choices; element i lies in <c>[0, Nvec[i])</c>.</summary>
public sealed class MultiDiscreteSpace : Space<int>
{
    private readonly int[] _nvec;

    /// <summary>Creates a space with one discrete choice per entry of <paramref name="nvec"/>.</summary>
    public MultiDiscreteSpace(ReadOnlySpan<int> nvec)
        : base([nvec.Length])
    {
        foreach (var n in nvec)
        {
            if (n <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(nvec), n, "Every entry of nvec must be positive.");
            }
        }

        _nvec = nvec.ToArray();
    }

    /// <summary>The number of choices for each element.</summary>
    public IReadOnlyList<int> Nvec => _nvec;

    /// <inheritdoc/>
    public override bool Contains(ReadOnlySpan<int> value)
    {
        if (value.Length != _nvec.Length)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if ((uint)value[i] >= (uint)_nvec[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override void Sample(Random random, Span<int> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        RequireLength(destination.Length, nameof(destination));
        for (var i = 0; i < _nvec.Length; i++)
        {
            destination[i] = random.Next(_nvec[i]);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"MultiDiscrete([{string.Join(" ", _nvec)}])";
}
