using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Models;

/// <summary>The named parameters of a model viewed as one flat vector: what snapshots copy and load.</summary>
internal sealed class ParameterSet
{
    public ParameterSet(IReadOnlyList<NamedParameter> parameters)
    {
        Named = parameters;
        Parameters = parameters.Select(p => p.Parameter).ToArray();
        WeightCount = Parameters.Sum(p => p.Value.Length);
    }

    public IReadOnlyList<NamedParameter> Named { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    public int WeightCount { get; }

    public void CopyTo(Span<float> destination)
    {
        RequireLength(destination.Length, nameof(destination));
        var offset = 0;
        foreach (var parameter in Parameters)
        {
            parameter.Value.Span.CopyTo(destination[offset..]);
            offset += parameter.Value.Length;
        }
    }

    public void LoadFrom(ReadOnlySpan<float> weights)
    {
        RequireLength(weights.Length, nameof(weights));
        var offset = 0;
        foreach (var parameter in Parameters)
        {
            weights.Slice(offset, parameter.Value.Length).CopyTo(parameter.Value.Span);
            offset += parameter.Value.Length;
        }
    }

    public void ZeroGradients()
    {
        foreach (var parameter in Parameters)
        {
            parameter.Gradient.Clear();
        }
    }

    private void RequireLength(int length, string name)
    {
        if (length != WeightCount)
        {
            throw new ArgumentException($"The model has {WeightCount} weights; got a buffer of {length}. Was the snapshot made by a different architecture?", name);
        }
    }
}
