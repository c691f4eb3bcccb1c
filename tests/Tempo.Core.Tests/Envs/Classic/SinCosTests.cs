namespace Tempo.Core.Tests.Envs.Classic;

/// <summary>The classic envs use <see cref="Math.SinCos"/> where Gymnasium calls sin and cos separately.</summary>
public sealed class SinCosTests
{
    [Fact]
    public void MathSinCos_MatchesSinAndCos_BitForBit()
    {
        var random = new Random(11);
        for (var i = 0; i < 200_000; i++)
        {
            var x = i % 2 == 0 ? (random.NextDouble() - 0.5) * 100 : (random.NextDouble() - 0.5) * 1e-3;
            var (sin, cos) = Math.SinCos(x);
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Sin(x)), BitConverter.DoubleToInt64Bits(sin));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Cos(x)), BitConverter.DoubleToInt64Bits(cos));
        }
    }
}
