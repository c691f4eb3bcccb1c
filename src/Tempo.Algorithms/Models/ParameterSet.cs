using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Models;

/// <summary>The named parameters of a model viewed as one flat vector: what snapshots copy and load.</summary>
internal sealed class ParameterSet
{
    // An array, looped over by index: snapshot loads run on actors, and an interface foreach allocates an enumerator.
    private readonly Parameter[] _parameters;

    public ParameterSet(IReadOnlyList<NamedParameter> parameters)
    {
        Named = parameters;
        _parameters = [.. parameters.Select(p => p.Parameter)];
        WeightCount = _parameters.Sum(p => p.Value.Length);
    }

    public IReadOnlyList<NamedParameter> Named { get; }

    public int WeightCount { get; }

    public void CopyTo(Span<float> destination)
    {
        RequireLength(destination.Length, nameof(destination));
        var offset = 0;
        foreach (var parameter in _parameters)
        {
            parameter.Value.Span.CopyTo(destination[offset..]);
            offset += parameter.Value.Length;
        }
    }

    public void LoadFrom(ReadOnlySpan<float> weights)
    {
        RequireLength(weights.Length, nameof(weights));
        var offset = 0;
        foreach (var parameter in _parameters)
        {
            weights.Slice(offset, parameter.Value.Length).CopyTo(parameter.Value.Span);
            offset += parameter.Value.Length;
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
