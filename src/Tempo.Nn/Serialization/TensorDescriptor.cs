namespace Tempo.Nn.Serialization;

/// <summary>A tensor's entry in a parameter file header: its name and shape (element type is always float32 in version 1).</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="Shape">The dimensions, outermost first.</param>
internal readonly record struct TensorDescriptor(string Name, int[] Shape)
{
    /// <summary>The number of elements (the product of the dimensions; 1 for rank 0).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dimension in Shape)
            {
                count *= dimension;
            }

            return count;
        }
    }

    /// <summary>Formats the shape as <c>[a, b]</c> for messages.</summary>
    public static string Format(IReadOnlyList<int> shape) => $"[{string.Join(", ", shape)}]";
}
