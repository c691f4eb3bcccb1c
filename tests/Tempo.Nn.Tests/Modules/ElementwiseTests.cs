using Tempo.Nn.Modules;

namespace Tempo.Nn.Tests.Modules;

public sealed class ElementwiseTests
{
    [Fact]
    public void Tanh_AcrossTheRange_IsWithinAFewUlpsOfTheDoublePrecisionValue()
    {
        var inputs = new List<float> { 0f, -0f, 1e-30f, -1e-20f, 1e-7f, 0.2499f, 0.25f, 0.2501f, 9f, 9.1f, 20f, -50f, 88f, 1000f, float.MaxValue, float.Epsilon };
        for (var x = -12.0; x <= 12.0; x += 0.000731)
        {
            inputs.Add((float)x);
        }

        var values = inputs.ToArray();
        Elementwise.Activate(values, Activation.Tanh);
        for (var i = 0; i < values.Length; i++)
        {
            var expected = Math.Tanh(inputs[i]);
            var magnitude = MathF.Abs((float)expected);
            var ulp = Math.Max((double)float.Epsilon, MathF.BitIncrement(magnitude) - magnitude);
            var error = Math.Abs(values[i] - expected) / ulp;
            Assert.True(error <= 3, $"tanh({inputs[i]:R}) = {values[i]:R}, expected {expected:R} ({error:F1} ulp).");
            Assert.Equal(double.IsNegative(expected) || (expected == 0 && float.IsNegative(inputs[i])), float.IsNegative(values[i]));
        }
    }

    [Fact]
    public void Tanh_SpecialValues_MatchMathF()
    {
        float[] values = [float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        Elementwise.Activate(values, Activation.Tanh);
        Assert.Equal(1f, values[0]);
        Assert.Equal(-1f, values[1]);
        Assert.True(float.IsNaN(values[2]));
    }

    [Theory]
    [InlineData(Activation.None)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    public void AddBiasAndActivate_RaggedRows_TreatsEveryElementAlike(Activation activation)
    {
        // 13 columns: each row has one full vector and a ragged tail of five.
        var random = new Random(1);
        const int Rows = 3, Columns = 13;
        var bias = Enumerable.Range(0, Columns).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var values = Enumerable.Range(0, Rows * Columns).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var expected = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            expected[i] = values[i] + bias[i % Columns];
        }

        Elementwise.Activate(expected, activation);
        Elementwise.AddBiasAndActivate(values, bias, activation);
        Assert.Equal(expected, values);
    }

    [Fact]
    public void AddColumnSums_AddsTheBatchSumOfEachColumn()
    {
        var random = new Random(2);
        const int Rows = 5, Columns = 11;
        var matrix = Enumerable.Range(0, Rows * Columns).Select(_ => (float)random.NextDouble()).ToArray();
        var sums = Enumerable.Range(0, Columns).Select(c => (float)c).ToArray();
        Elementwise.AddColumnSums(matrix, sums);
        for (var c = 0; c < Columns; c++)
        {
            var expected = c + Enumerable.Range(0, Rows).Sum(r => (double)matrix[(r * Columns) + c]);
            Assert.Equal(expected, sums[c], 5);
        }
    }

    [Fact]
    public void ActivationGradient_UsesTheOutput()
    {
        float[] output = [-0.5f, 0f, 0.5f, 0.9f, 0.1f, -0.2f, 0.3f, 0.4f, 0.99f, 0f];
        var gradient = Enumerable.Range(1, output.Length).Select(i => (float)i).ToArray();
        var tanh = new float[output.Length];
        var relu = new float[output.Length];
        Elementwise.ActivationGradient(Activation.Tanh, output, gradient, tanh);
        Elementwise.ActivationGradient(Activation.Relu, output, gradient, relu);
        for (var i = 0; i < output.Length; i++)
        {
            Assert.Equal(gradient[i] * (1 - (output[i] * output[i])), tanh[i], 6);
            Assert.Equal(output[i] > 0 ? gradient[i] : 0f, relu[i]);
        }
    }

    [Fact]
    public void Scale_BytesAndFloats_MultiplyEveryElement()
    {
        var bytes = Enumerable.Range(0, 100).Select(i => (byte)(i * 37 % 256)).ToArray();
        var fromBytes = new float[bytes.Length];
        var fromFloats = new float[bytes.Length];
        Elementwise.Scale(bytes, 1f / 255f, fromBytes);
        Elementwise.Scale(bytes.Select(b => (float)b).ToArray(), 1f / 255f, fromFloats);
        Assert.Equal(bytes.Select(b => b * (1f / 255f)), fromBytes);
        Assert.Equal(fromBytes, fromFloats);
    }
}
