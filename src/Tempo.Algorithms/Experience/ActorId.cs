namespace Tempo.Algorithms.Experience;

/// <summary>Identifies one actor (one acting loop with its env or vector env) within a run.</summary>
/// <param name="Value">The actor's index, from 0.</param>
public readonly record struct ActorId(int Value)
{
    /// <inheritdoc/>
    public override string ToString() => $"actor-{Value}";
}
