using Tempo.Nn.Kernels;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Tests.Kernels;

public sealed class ActivationKernelsTests
{
    public static TheoryData<int> Paths()
    {
        var data = new TheoryData<int>();
        foreach (var path in Enum.GetValues<SimdPath>().Where(SimdSupport.IsSupported))
        {
            data.Add((int)path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Forward_Tanh_MatchesMathTanhToFewUlps(int pathValue)
    {
        var values = new List<float> { 0f, -0f, 1e-30f, -1e-7f, 1e-3f, 0.1f, 0.4999f, 0.5f, 0.5001f, 1f, -2f, 5f, 9f, -10f, 20f, 50f, 100f, float.PositiveInfinity, float.NegativeInfinity };
        var random = new Random(1);
        for (var i = 0; i < 3000; i++)
        {
            values.Add((float)((random.NextDouble() * 12) - 6));
        }

        var input = values.ToArray();
        var output = new float[input.Length];
        ActivationKernels.Forward((SimdPath)pathValue, Activation.Tanh, input, output);
        for (var i = 0; i < input.Length; i++)
        {
            var expected = Math.Tanh(input[i]);
            Assert.True(Math.Abs(output[i] - expected) <= 3e-7 * Math.Abs(expected) + 1e-38, $"tanh({input[i]}) = {output[i]}, expected {expected}");
        }

        Assert.True(float.IsNegative(output[1]), "tanh(-0) keeps the sign.");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Forward_TanhOfNaN_IsNaN(int pathValue)
    {
        var output = new float[37];
        var input = new float[37];
        input[0] = float.NaN;
        input[20] = float.NaN;
        ActivationKernels.Forward((SimdPath)pathValue, Activation.Tanh, input, output);
        Assert.True(float.IsNaN(output[0]) && float.IsNaN(output[20]));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ForwardAndBackward_ReluAndTanh_MatchDefinitions(int pathValue)
    {
        var path = (SimdPath)pathValue;
        var random = new Random(2);
        foreach (var length in new[] { 1, 3, 16, 17, 33, 100 })
        {
            var input = GemmReference.Random(random, length);
            var gradient = GemmReference.Random(random, length);
            var relu = new float[length];
            ActivationKernels.Forward(path, Activation.Relu, input, relu);
            var reluGradient = new float[length];
            ActivationKernels.Backward(path, Activation.Relu, relu, gradient, reluGradient);
            var tanh = new float[length];
            ActivationKernels.Forward(path, Activation.Tanh, input, tanh);
            var tanhGradient = new float[length];
            ActivationKernels.Backward(path, Activation.Tanh, tanh, gradient, tanhGradient);
            for (var i = 0; i < length; i++)
            {
                Assert.Equal(Math.Max(input[i], 0f), relu[i]);
                Assert.Equal(input[i] > 0f ? gradient[i] : 0f, reluGradient[i]);
                Assert.Equal(gradient[i] * (1 - (tanh[i] * tanh[i])), tanhGradient[i], 1e-6f);
            }
        }
    }

    [Fact]
    public void Apply_InPlace_ChangesValues()
    {
        var values = new[] { -1f, 0.5f, 2f };
        ActivationKernels.Apply(Activation.Relu, values);
        Assert.Equal(new[] { 0f, 0.5f, 2f }, values);
    }

    [Fact]
    public void Forward_LengthMismatch_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ActivationKernels.Forward(Activation.Tanh, new float[3], new float[2]));
        Assert.Equal("output", error.ParamName);
    }

    [Fact]
    public void Backward_UnknownActivation_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivationKernels.Backward((Activation)9, new float[1], new float[1], new float[1]));
    }
}
