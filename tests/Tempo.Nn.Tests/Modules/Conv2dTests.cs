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
            var m = Magnitudes(fixture);
            int Get(string name) => fixture.GetProperty(name).GetInt32();
            var (inChannels, outChannels, kernel) = (Get("in_channels"), Get("out_channels"), Get("kernel"));
            var outputShape = TorchFixture.Shape(fixture.GetProperty("output"));
            var positions = outputShape[0] * outputShape[2] * outputShape[3];

            // Every result is a sum of products added in another order than torch's (im2col GEMM here, its own kernels
            // there): within 2·γ_n·Σ|terms| of each other (see LinearTests), n the sum's length. Output: a window of
            // in·k² products plus the bias; input gradient: at most out·k² products; weight and bias gradients: one term
            // per output position of every image.
            TorchFixture.AssertWithinSumBound(fixture.GetProperty("output"), output.Span, (inChannels * kernel * kernel) + 1, m.Output, $"case {c} output");

            layer.ZeroGradients();
            var inputGradient = layer.Backward(TorchFixture.ToTensor(fixture.GetProperty("grad_output")));
            TorchFixture.AssertWithinSumBound(fixture.GetProperty("grad_input"), inputGradient.Span, outChannels * kernel * kernel, m.Input, $"case {c} grad_input");
            TorchFixture.AssertWithinSumBound(fixture.GetProperty("grad_weight"), layer.Weight.Gradient.Span, positions, m.Weight, $"case {c} grad_weight");
            TorchFixture.AssertWithinSumBound(fixture.GetProperty("grad_bias"), layer.Bias.Gradient.Span, positions, m.Bias, $"case {c} grad_bias");
        }
    }

    /// <summary>Σ|terms| of every output and gradient element: the convolution and its two backward passes run directly, in double, on absolute values.</summary>
    private static (double[] Output, double[] Input, double[] Weight, double[] Bias) Magnitudes(System.Text.Json.JsonElement fixture)
    {
        var x = TorchFixture.Data(fixture.GetProperty("input"));
        var w = TorchFixture.Data(fixture.GetProperty("weight"));
        var b = TorchFixture.Data(fixture.GetProperty("bias"));
        var g = TorchFixture.Data(fixture.GetProperty("grad_output"));
        var xs = TorchFixture.Shape(fixture.GetProperty("input"));
        var ys = TorchFixture.Shape(fixture.GetProperty("output"));
        var (n, cin, h, width) = (xs[0], xs[1], xs[2], xs[3]);
        var (cout, oh, ow) = (ys[1], ys[2], ys[3]);
        var k = fixture.GetProperty("kernel").GetInt32();
        var stride = fixture.GetProperty("stride").GetInt32();
        var pad = fixture.GetProperty("padding").GetInt32();
        var output = new double[g.Length];
        var input = new double[x.Length];
        var weight = new double[w.Length];
        var bias = new double[cout];
        for (var i = 0; i < n; i++)
        {
            for (var co = 0; co < cout; co++)
            {
                for (var oy = 0; oy < oh; oy++)
                {
                    for (var ox = 0; ox < ow; ox++)
                    {
                        var o = (((i * cout) + co) * oh + oy) * ow + ox;
                        var gradient = Math.Abs((double)g[o]);
                        var sum = Math.Abs((double)b[co]);
                        bias[co] += gradient;
                        for (var ci = 0; ci < cin; ci++)
                        {
                            for (var ky = 0; ky < k; ky++)
                            {
                                for (var kx = 0; kx < k; kx++)
                                {
                                    var (iy, ix) = ((oy * stride) - pad + ky, (ox * stride) - pad + kx);
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= width)
                                    {
                                        continue;
                                    }

                                    var xi = (((i * cin) + ci) * h + iy) * width + ix;
                                    var wi = (((co * cin) + ci) * k + ky) * k + kx;
                                    sum += Math.Abs((double)x[xi]) * Math.Abs(w[wi]);
                                    input[xi] += gradient * Math.Abs(w[wi]);
                                    weight[wi] += gradient * Math.Abs(x[xi]);
                                }
                            }
                        }

                        output[o] = sum;
                    }
                }
            }
        }

        return (output, input, weight, bias);
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
