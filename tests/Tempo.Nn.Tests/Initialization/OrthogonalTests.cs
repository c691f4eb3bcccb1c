using Tempo.Nn.Initialization;
using Tempo.Nn.Tensors;
using Tempo.Nn.Tests.Modules;

namespace Tempo.Nn.Tests.Initialization;

public sealed class OrthogonalTests
{
    [Theory]
    [InlineData(new[] { 64, 64 }, 1.4142135623730951)]
    [InlineData(new[] { 64, 4 }, 1.4142135623730951)]
    [InlineData(new[] { 2, 64 }, 0.01)]
    [InlineData(new[] { 1, 64 }, 1.0)]
    [InlineData(new[] { 32, 4, 8, 8 }, 1.4142135623730951)]
    [InlineData(new[] { 300, 3, 2, 2 }, 0.5)]
    public void Fill_AnyShape_IsSemiOrthogonalTimesTheGain(int[] shape, double gain)
    {
        var weight = new Tensor(shape);
        Orthogonal.Fill(weight, gain, new Random(42));
        OrthogonalAssert.SemiOrthogonal(weight, gain);
    }

    [Fact]
    public void Fill_SameSeed_SameValues_DifferentSeed_DifferentValues()
    {
        Tensor a = new(16, 8), b = new(16, 8), c = new(16, 8);
        Orthogonal.Fill(a, 1, new Random(9));
        Orthogonal.Fill(b, 1, new Random(9));
        Orthogonal.Fill(c, 1, new Random(10));
        Assert.Equal(a.Span.ToArray(), b.Span.ToArray());
        Assert.NotEqual(a.Span.ToArray(), c.Span.ToArray());
    }

    [Fact]
    public void Fill_IsNotATrivialPermutation()
    {
        // A Haar-random orthogonal matrix spreads each row over all columns; an identity-like result would not.
        var weight = new Tensor(32, 32);
        Orthogonal.Fill(weight, 1, new Random(3));
        var values = weight.Span.ToArray();
        Assert.True(values.Count(v => Math.Abs(v) > 1e-3) > 0.9 * values.Length);
        Assert.True(values.Max(Math.Abs) < 0.9);
    }

    [Fact]
    public void Fill_SignCorrection_MakesColumnsAgreeWithTheGaussianDirections()
    {
        // Q·diag(sign(diag R)) means the first column of Q points the same way as the first column of the
        // Gaussian matrix A (R's first diagonal entry is |a₁|). Replay the draws to recover A's first column.
        const int Rows = 6, Cols = 3;
        var weight = new Tensor(Rows, Cols);
        Orthogonal.Fill(weight, 1, new Random(12));
        var random = new Random(12);
        var gaussian = new double[Rows * Cols];
        for (var i = 0; i < gaussian.Length; i += 2)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2.0 * Math.Log(u1));
            gaussian[i] = radius * Math.Cos(2 * Math.PI * u2);
            gaussian[i + 1] = radius * Math.Sin(2 * Math.PI * u2);
        }

        var norm = Math.Sqrt(Enumerable.Range(0, Rows).Sum(r => gaussian[r * Cols] * gaussian[r * Cols]));
        for (var r = 0; r < Rows; r++)
        {
            Assert.Equal(gaussian[r * Cols] / norm, weight.Span[r * Cols], 6);
        }
    }

    [Fact]
    public void Fill_RankOneOrInfiniteGain_Throws()
    {
        Assert.Throws<ArgumentException>(() => Orthogonal.Fill(new Tensor(5), 1, new Random(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Orthogonal.Fill(new Tensor(2, 2), double.NaN, new Random(0)));
    }
}
