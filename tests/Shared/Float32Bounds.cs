namespace Tempo.Tests.Shared;

/// <summary>
/// Rounding bounds for float32 results (u = 2^-24): a sum of n terms added in any order, with or without fused
/// multiply-adds, is within γ_n·Σ|terms| of exact, γ_n = n·u/(1 − n·u) (Higham, Accuracy and Stability of Numerical
/// Algorithms, §3.1). Two implementations that both obey a bound E on their distance from the exact result are within 2E
/// of each other, which is what a parity test may assert.
/// </summary>
internal static class Float32Bounds
{
    /// <summary>The unit roundoff of float32, 2^-24.</summary>
    public const double Unit = 1.0 / (1 << 24);

    /// <summary>Tempo's tanh is within this many u of exact, relative to |tanh x| (derived in ActivationModuleTests).</summary>
    public const double TanhRelativeAccuracy = 6.5;

    /// <summary>γ_n = n·u/(1 − n·u).</summary>
    public static double Gamma(int n) => n * Unit / (1 - (n * Unit));

    /// <summary>Asserts |actual[i] − expected[i]| ≤ bound[i] for every element, naming the element, both values and the bound.</summary>
    public static void AssertWithin(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, ReadOnlySpan<double> bound, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        Xunit.Assert.Equal(expected.Length, bound.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(actual[i] - expected[i]);
            Xunit.Assert.True(error <= bound[i], $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}, {error:G3} apart; derived bound {bound[i]:G3}.");
        }
    }

    /// <summary>Asserts |actual − expected| ≤ bound for one scalar.</summary>
    public static void AssertWithin(double expected, double actual, double bound, string what)
    {
        var error = Math.Abs(actual - expected);
        Xunit.Assert.True(error <= bound, $"{what}: expected {expected:R}, got {actual:R}, {error:G3} apart; derived bound {bound:G3}.");
    }
}
