using Tempo.Nn.Kernels;

namespace Tempo.Nn.Tests.Kernels;

/// <summary>Accuracy of the activation and bias kernels the modules use, against double-precision references.</summary>
public sealed class ActivationAccuracyTests
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
        ActivationKernels.Apply(Activation.Tanh, values);
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
        ActivationKernels.Apply(Activation.Tanh, values);
        Assert.Equal(1f, values[0]);
        Assert.Equal(-1f, values[1]);
        Assert.True(float.IsNaN(values[2]));
    }

    [Fact]
    public void AddColumnSums_AddsTheBatchSumOfEachColumn()
    {
        var random = new Random(2);
        const int Rows = 5, Columns = 11;
        var matrix = Enumerable.Range(0, Rows * Columns).Select(_ => (float)random.NextDouble()).ToArray();
        var sums = Enumerable.Range(0, Columns).Select(c => (float)c).ToArray();
        BiasKernels.AccumulateColumnSums(matrix, Rows, Columns, sums);
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
        ActivationKernels.Backward(Activation.Tanh, output, gradient, tanh);
        ActivationKernels.Backward(Activation.Relu, output, gradient, relu);
        for (var i = 0; i < output.Length; i++)
        {
            Assert.Equal(gradient[i] * (1 - (output[i] * output[i])), tanh[i], 6);
            Assert.Equal(output[i] > 0 ? gradient[i] : 0f, relu[i]);
        }
    }
}
