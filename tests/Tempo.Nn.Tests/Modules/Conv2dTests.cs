using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Tests.Modules;

public sealed class Conv2dTests
{
    [Fact]
    public void ForwardAndBackward_TorchFixture_MatchEveryCase()
    {
        var cases = TorchFixture.Load("conv2d.json").GetProperty("cases").EnumerateArray().ToArray();
        Assert.NotEmpty(cases);
        for (var c = 0; c < cases.Length; c++)
        {
            var fixture = cases[c];
            var layer = new Conv2d(
                fixture.GetProperty("in_channels").GetInt32(),
                fixture.GetProperty("out_channels").GetInt32(),
                fixture.GetProperty("kernel").GetInt32(),
                new Random(c),
                stride: fixture.GetProperty("stride").GetInt32(),
                padding: fixture.GetProperty("padding").GetInt32());
            TorchFixture.Load(layer.Weight, fixture.GetProperty("weight"));
            TorchFixture.Load(layer.Bias, fixture.GetProperty("bias"));

            var output = layer.Forward(TorchFixture.ToTensor(fixture.GetProperty("input")));
            TorchFixture.AssertClose(fixture.GetProperty("output"), output, $"case {c} output");

            layer.ZeroGradients();
            var inputGradient = layer.Backward(TorchFixture.ToTensor(fixture.GetProperty("grad_output")));
            TorchFixture.AssertClose(fixture.GetProperty("grad_input"), inputGradient, $"case {c} grad_input");
            TorchFixture.AssertClose(fixture.GetProperty("grad_weight"), layer.Weight.Gradient, $"case {c} grad_weight");
            TorchFixture.AssertClose(fixture.GetProperty("grad_bias"), layer.Bias.Gradient, $"case {c} grad_bias");
        }
    }

    [Theory]
    [InlineData(3, 1, 0, Activation.None)]
    [InlineData(3, 1, 1, Activation.Tanh)]
    [InlineData(4, 2, 0, Activation.Relu)]
    [InlineData(3, 2, 1, Activation.None)]
    public void Backward_FiniteDifferences_MatchAnalyticGradients(int kernel, int stride, int padding, Activation activation)
    {
        var random = new Random(17);
        var layer = new Conv2d(2, 3, kernel, random, stride, padding, activation);
        GradientCheck.Assert(layer, LinearTests.RandomTensor(random, 2, 2, 7, 6), random, samples: 30);
    }

    [Fact]
    public void Forward_FusedRelu_EqualsConvThenReluModule()
    {
        var random = new Random(4);
        var fused = new Conv2d(3, 4, 3, new Random(8), stride: 2, padding: 1, activation: Activation.Relu);
        var plain = new Conv2d(3, 4, 3, new Random(8), stride: 2, padding: 1);
        var relu = new Relu();
        var input = LinearTests.RandomTensor(random, 2, 3, 9, 9);
        var expected = relu.Forward(plain.Forward(input)).Span.ToArray();
        var actual = fused.Forward(input);
        Assert.Equal(expected, actual.Span.ToArray());

        var upstream = LinearTests.RandomTensor(random, [.. actual.Shape]);
        var inputGradient = fused.Backward(upstream).Span.ToArray();
        Assert.Equal(plain.Backward(relu.Backward(upstream)).Span.ToArray(), inputGradient);
        Assert.Equal(plain.Weight.Gradient.Span.ToArray(), fused.Weight.Gradient.Span.ToArray());
        Assert.Equal(plain.Bias.Gradient.Span.ToArray(), fused.Bias.Gradient.Span.ToArray());
    }

    [Fact]
    public void Forward_OutputShape_FollowsPyTorchFormula()
    {
        var layer = new Conv2d(1, 2, 8, new Random(0), stride: 4);
        Assert.Equal([1, 2, 20, 20], layer.Forward(new Tensor(1, 1, 84, 84)).Shape);
        Assert.Equal(20, layer.OutputSize(84));
        Assert.Equal(9, new Conv2d(32, 64, 4, new Random(0), stride: 2).OutputSize(20));
        Assert.Equal(7, new Conv2d(3, 5, 3, new Random(0), padding: 1).OutputSize(7));
    }

    [Fact]
    public void Forward_WrongShape_ThrowsNamingBothShapes()
    {
        var layer = new Conv2d(4, 8, 8, new Random(0), stride: 4);
        var wrongChannels = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(1, 3, 20, 20)));
        Assert.Contains("[batch ≥ 1, 4, height ≥ 8, width ≥ 8]", wrongChannels.Message);
        Assert.Contains("[1, 3, 20, 20]", wrongChannels.Message);

        // (5 − 8) / 4 truncates to 0 in C#: a too-small input must be rejected, not given a 1×1 output.
        var tooSmall = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(1, 4, 5, 20)));
        Assert.Contains("[1, 4, 5, 20]", tooSmall.Message);
        Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(4, 20, 20)));
        Assert.Throws<ArgumentException>(() => layer.OutputSize(7));
    }

    [Fact]
    public void Backward_BeforeForward_Throws()
    {
        var layer = new Conv2d(1, 1, 3, new Random(0));
        Assert.Throws<InvalidOperationException>(() => layer.Backward(new Tensor(1, 1, 1, 1)));
    }

    [Fact]
    public void NamedParameters_AreWeightThenBiasInTorchLayout()
    {
        var layer = new Conv2d(3, 5, 4, new Random(0));
        var named = layer.NamedParameters();
        Assert.Equal(["weight", "bias"], named.Select(p => p.Name));
        Assert.Equal([5, 3, 4, 4], named[0].Parameter.Value.Shape);
        Assert.Equal([5], named[1].Parameter.Value.Shape);
    }
}
