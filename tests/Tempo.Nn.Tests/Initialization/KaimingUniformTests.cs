using Tempo.Nn.Initialization;

namespace Tempo.Nn.Tests.Initialization;

public sealed class KaimingUniformTests
{
    [Fact]
    public void Bound_TorchDefaultSlope_IsOneOverSquareRootOfFanIn()
    {
        Assert.Equal(1 / Math.Sqrt(64), KaimingUniform.Bound(64, KaimingUniform.TorchDefaultNegativeSlope), 12);
        Assert.Equal(1 / Math.Sqrt(256), KaimingUniform.Bound(256, KaimingUniform.TorchDefaultNegativeSlope), 12);

        // a = 0 is the plain He bound √(6 / fan_in).
        Assert.Equal(Math.Sqrt(6.0 / 10), KaimingUniform.Bound(10, 0), 12);
    }

    [Fact]
    public void Fill_StaysInsideTheBoundAndCoversItUniformly()
    {
        var values = new float[20000];
        KaimingUniform.Fill(values, 100, KaimingUniform.TorchDefaultNegativeSlope, new Random(1));
        const double Bound = 0.1;
        Assert.All(values, v => Assert.InRange(v, -Bound, Bound));
        Assert.True(values.Min() < -0.99 * Bound && values.Max() > 0.99 * Bound);

        // U(−b, b): mean 0, variance b²/3; 20000 draws put both within a few standard errors.
        var mean = values.Average(v => (double)v);
        var variance = values.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.003, 0.003);
        Assert.InRange(variance, 0.97 * Bound * Bound / 3, 1.03 * Bound * Bound / 3);
    }

    [Fact]
    public void Fill_SameSeed_SameValues_DifferentSeed_DifferentValues()
    {
        float[] a = new float[50], b = new float[50], c = new float[50];
        KaimingUniform.Fill(a, 10, 0, new Random(5));
        KaimingUniform.Fill(b, 10, 0, new Random(5));
        KaimingUniform.Fill(c, 10, 0, new Random(6));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Fill_NonPositiveFanIn_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KaimingUniform.Fill(new float[3], 0, 0, new Random(0)));
    }
}
