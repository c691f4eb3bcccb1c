namespace Tempo.Core.Spaces;

/// <summary>The element-type-independent view of a space: its shape and a readable description.</summary>
public interface ISpace
{
    /// <summary>The shape of one value; empty for a scalar (a <see cref="DiscreteSpace"/>).</summary>
    IReadOnlyList<int> Shape { get; }

    /// <summary>How many elements one value occupies in a flat buffer.</summary>
    int FlatSize { get; }

    /// <summary>The element type of a value in a flat buffer.</summary>
    Type ElementType { get; }
}
