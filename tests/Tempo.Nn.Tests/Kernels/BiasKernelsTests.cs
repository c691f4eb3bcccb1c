using Tempo.Nn.Kernels;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Kernels;

public sealed class BiasKernelsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 17)]
    [InlineData(5, 64)]
    public void AddToColumnsAndAccumulateColumnSums_MatchLoops(int rows, int columns)
    {
        var random = new Random(rows * columns);
        var matrix = GemmReference.Random(random, rows * columns);
        var bias = GemmReference.Random(random, columns);
        var expected = (float[])matrix.Clone();
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] += bias[i % columns];
        }

        BiasKernels.AddToColumns(matrix, rows, columns, bias);
        Assert.Equal(expected, matrix);

        var sums = Enumerable.Repeat(1f, columns).ToArray();
        BiasKernels.AccumulateColumnSums(matrix, rows, columns, sums);
        for (var j = 0; j < columns; j++)
        {
            double total = 1.0, magnitude = 1.0;
            for (var r = 0; r < rows; r++)
            {
                total += matrix[(r * columns) + j];
                magnitude += Math.Abs(matrix[(r * columns) + j]);
            }

            // rows + 1 terms added in any order: within γ_(rows+1)·Σ|terms| (Higham §3.1).
            Float32Bounds.AssertWithin(total, sums[j], Float32Bounds.Gamma(rows + 1) * magnitude, $"column {j} sum");
        }
    }

    [Fact]
    public void AddToColumns_WrongBiasLength_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => BiasKernels.AddToColumns(new float[6], 2, 3, new float[2]));
        Assert.Equal("bias", error.ParamName);
    }

    [Fact]
    public void AccumulateColumnSums_MatrixLengthMismatch_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => BiasKernels.AccumulateColumnSums(new float[5], 2, 3, new float[3]));
        Assert.Equal("matrix", error.ParamName);
    }
}
