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

    private static void Check(Module module, JsonElement fixture)
    {
        TorchFixture.AssertClose(fixture.GetProperty("output"), module.Forward(TorchFixture.ToTensor(fixture.GetProperty("input"))), "output");
        TorchFixture.AssertClose(fixture.GetProperty("grad_input"), module.Backward(TorchFixture.ToTensor(fixture.GetProperty("grad_output"))), "grad_input");
    }
}
