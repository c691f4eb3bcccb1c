namespace Tempo.Runtime.Export;

/// <summary>One named input or output of an exported policy.</summary>
/// <param name="Name">The tensor's name in the ONNX graph (<c>obs</c>, <c>logits</c>, <c>value</c>, a dict part's name, …).</param>
/// <param name="ElementType">Its element type.</param>
/// <param name="Shape">Its dimensions; <see cref="OnnxTensorInfo.BatchDimension"/> (-1) marks the batch dimension, named <c>batch</c> in the graph.</param>
public sealed record OnnxTensorInfo(string Name, OnnxElementType ElementType, IReadOnlyList<int> Shape)
{
    /// <summary>The value of a dimension the caller chooses (the batch), as ONNX Runtime reports it.</summary>
    public const int BatchDimension = -1;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}: {ElementType.ToString().ToLowerInvariant()}[{string.Join(", ", Shape.Select(d => d == BatchDimension ? "batch" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
}
