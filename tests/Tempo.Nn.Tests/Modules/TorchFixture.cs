using System.Text.Json;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Modules;

/// <summary>Reads the PyTorch reference fixtures ({shape, data} tensors, row-major, PyTorch layouts) and compares against them.</summary>
internal static class TorchFixture
{
    /// <summary>Fixture tolerance for float32 results (fixtures/README.md): relative 1e-4, absolute 1e-5.</summary>
    public const double Relative = 1e-4;

    /// <summary>Absolute part of the float32 tolerance.</summary>
    public const double Absolute = 1e-5;

    /// <summary>Parses a fixture from <see cref="FixturePaths.Torch"/>; a missing file fails the test.</summary>
    public static JsonElement Load(string fileName)
    {
        var path = FixturePaths.Require(FixturePaths.Torch, fileName);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    public static int[] Shape(JsonElement tensor) =>
        tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();

    public static float[] Data(JsonElement tensor) =>
        tensor.GetProperty("data").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    public static Tensor ToTensor(JsonElement tensor) => new(Data(tensor), Shape(tensor));

    /// <summary>Copies a fixture tensor into a parameter, checking that the shapes agree.</summary>
    public static void Load(Parameter parameter, JsonElement tensor)
    {
        Assert.Equal(Shape(tensor), parameter.Value.Shape);
        Data(tensor).CopyTo(parameter.Value.Span);
    }

    /// <summary>Asserts shape equality and |actual − expected| ≤ absolute + relative·|expected| elementwise.</summary>
    public static void AssertClose(JsonElement expected, Tensor actual, string what, double relative = Relative, double absolute = Absolute)
    {
        Assert.True(Shape(expected).SequenceEqual(actual.Shape), $"{what}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", Shape(expected))}]");
        AssertClose(Data(expected), actual.Span, what, relative, absolute);
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double relative = Relative, double absolute = Absolute)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs((double)actual[i] - expected[i]);
            if (!(error <= absolute + (relative * Math.Abs(expected[i]))))
            {
                Assert.Fail($"{what}[{i}] = {actual[i]:R}, expected {expected[i]:R} (error {error:E2}).");
            }
        }
    }

    /// <summary>
    /// Asserts |actual − expected| ≤ 2·γ_n·Σ|terms| elementwise, γ_n = n·u/(1 − n·u), u = 2^-24: a float32 sum of n terms is
    /// within γ_n·Σ|terms| of the exact sum in any order of addition, with or without fused multiply-adds (Higham,
    /// Accuracy and Stability of Numerical Algorithms, §3.1), so two such sums are within twice that of each other.
    /// </summary>
    /// <param name="expected">PyTorch's result.</param>
    /// <param name="actual">Tempo's result.</param>
    /// <param name="n">The most terms any element sums.</param>
    /// <param name="magnitudes">Σ|terms| of each element.</param>
    /// <param name="what">Names the result in a failure.</param>
    public static void AssertWithinSumBound(JsonElement expected, ReadOnlySpan<float> actual, int n, double[] magnitudes, string what)
    {
        const double Unit = 1.0 / (1 << 24);
        var gamma = n * Unit / (1 - (n * Unit));
        var reference = Data(expected);
        Assert.Equal(reference.Length, actual.Length);
        Assert.Equal(reference.Length, magnitudes.Length);
        for (var index = 0; index < reference.Length; index++)
        {
            var bound = 2 * gamma * magnitudes[index];
            var error = Math.Abs((double)actual[index] - reference[index]);
            Assert.True(error <= bound, $"{what}[{index}]: expected {reference[index]:R}, got {actual[index]:R}, {error:G3} apart; bound 2·γ_{n}·Σ|terms| = {bound:G3}.");
        }
    }
}
