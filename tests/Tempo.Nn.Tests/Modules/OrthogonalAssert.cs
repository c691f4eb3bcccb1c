using Tempo.Nn.Tensors;

namespace Tempo.Nn.Tests.Modules;

/// <summary>Asserts W·Wᵀ = gain²·I (rows ≤ cols) or Wᵀ·W = gain²·I (rows &gt; cols) for a weight viewed as rows × cols.</summary>
internal static class OrthogonalAssert
{
    public static void SemiOrthogonal(Tensor weight, double gain, double tolerance = 1e-5)
    {
        var rows = weight.Dim(0);
        var cols = weight.Length / rows;
        var w = weight.Span.ToArray();
        var wide = rows <= cols;
        var size = wide ? rows : cols;
        var inner = wide ? cols : rows;
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                var dot = 0.0;
                for (var k = 0; k < inner; k++)
                {
                    dot += wide
                        ? (double)w[(i * cols) + k] * w[(j * cols) + k]
                        : (double)w[(k * cols) + i] * w[(k * cols) + j];
                }

                var expected = i == j ? gain * gain : 0.0;
                Assert.True(
                    Math.Abs(dot - expected) <= tolerance * Math.Max(1.0, gain * gain),
                    $"({(wide ? "W·Wᵀ" : "Wᵀ·W")})[{i}, {j}] = {dot:R}, expected {expected:R} for a {rows}×{cols} weight.");
            }
        }
    }
}
