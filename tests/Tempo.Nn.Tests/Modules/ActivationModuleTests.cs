using System.Text.Json;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Tests.Modules;

public sealed class ActivationModuleTests
{
    [Theory]
    [InlineData("tanh")]
    [InlineData("relu")]
    public void ForwardAndBackward_TorchFixture_Match(string name)
    {
        var fixture = TorchFixture.Load("activations.json").GetProperty(name);
        Module module = name == "tanh" ? new Tanh() : new Relu();
        Check(module, fixture);
    }

    [Fact]
    public void Tanh_FiniteDifferences_MatchAnalyticGradient()
    {
        var random = new Random(5);
        GradientCheck.Assert(new Tanh(), LinearTests.RandomTensor(random, 3, 4, 5), random, samples: 60, epsilon: 1e-3);
    }

    [Fact]
    public void Relu_FiniteDifferences_MatchAnalyticGradientAwayFromZero()
    {
        var random = new Random(6);
        var input = LinearTests.RandomTensor(random, 3, 17);
        var span = input.Span;
        for (var i = 0; i < span.Length; i++)
        {
            // Keep every input at least 0.1 from the kink so a 1e-2 step never crosses it.
            span[i] = span[i] >= 0 ? span[i] + 0.1f : span[i] - 0.1f;
        }

        GradientCheck.Assert(new Relu(), input, random, samples: 60);
    }

    [Fact]
    public void Relu_AtZero_HasZeroGradientAsPyTorch()
    {
        var relu = new Relu();
        relu.Forward(new Tensor([0f, -0f, 1f], 3));
        Assert.Equal([0f, 0f, 1f], relu.Backward(new Tensor([1f, 1f, 1f], 3)).Span.ToArray());
    }

    [Fact]
    public void Forward_KeepsTheInputShapeOfAnyRank()
    {
        Assert.Equal([2, 3, 4, 5], new Tanh().Forward(new Tensor(2, 3, 4, 5)).Shape);
        Assert.Equal([7], new Relu().Forward(new Tensor(7)).Shape);
    }

    [Fact]
    public void Backward_GradientShapeDiffers_Throws()
    {
        var tanh = new Tanh();
        tanh.Forward(new Tensor(2, 3));
        Assert.Throws<ArgumentException>(() => tanh.Backward(new Tensor(3, 2)));
        Assert.Throws<InvalidOperationException>(() => new Relu().Backward(new Tensor(3, 2)));
    }

    /// <summary>
    /// ReLU is exact on both sides (max(x, 0) and a masked copy), so it must agree bit for bit. Tanh: ours is within 5u
    /// relative of exact (e^{2t} − 1 within about 3u, then e/(e + 2) adds two roundings; the scalar tail, 1 − 2/(e^{2t} + 1)
    /// for |x| ≥ 0.5 where |y| ≥ 0.46, is within 3u absolute, under 6.5u relative) and PyTorch's (Sleef's u10 tanhf) within
    /// 1 ulp ≤ 2u, so the outputs differ by at most 8.5u·|y|, u = 2^-24. The gradient g·(1 − y²) is computed by each side
    /// from its own y: their y² differ by at most 2·8.5u·y², and each side rounds y², 1 − y² and the product once.
    /// </summary>
    private static void Check(Module module, JsonElement fixture)
    {
        const double Unit = 1.0 / (1 << 24);
        var output = module.Forward(TorchFixture.ToTensor(fixture.GetProperty("input"))).Span.ToArray();
        var gradient = module.Backward(TorchFixture.ToTensor(fixture.GetProperty("grad_output"))).Span.ToArray();
        var expectedOutput = TorchFixture.Data(fixture.GetProperty("output"));
        var expectedGradient = TorchFixture.Data(fixture.GetProperty("grad_input"));
        var upstream = TorchFixture.Data(fixture.GetProperty("grad_output"));
        Assert.Equal(expectedOutput.Length, output.Length);
        for (var i = 0; i < output.Length; i++)
        {
            double y = expectedOutput[i];
            var outputBound = module is Relu ? 0 : 8.5 * Unit * Math.Abs(y);
            var gradientBound = module is Relu ? 0 : Math.Abs(upstream[i]) * ((17 * Unit * y * y) + (2 * Unit * ((y * y) + (2 * (1 - (y * y))))));
            Assert.True(Math.Abs(output[i] - y) <= outputBound, $"output[{i}]: expected {y:R}, got {output[i]:R}; bound {outputBound:G3}");
            Assert.True(Math.Abs(gradient[i] - (double)expectedGradient[i]) <= gradientBound, $"grad_input[{i}]: expected {expectedGradient[i]:R}, got {gradient[i]:R}; bound {gradientBound:G3}");
        }
    }
}
