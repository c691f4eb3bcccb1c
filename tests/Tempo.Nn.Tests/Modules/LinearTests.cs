using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Tests.Modules;

public sealed class LinearTests
{
    [Fact]
    public void ForwardAndBackward_TorchFixture_MatchEveryCase()
    {
        var cases = TorchFixture.Load("linear.json").GetProperty("cases").EnumerateArray().ToArray();
        Assert.NotEmpty(cases);
        for (var c = 0; c < cases.Length; c++)
        {
            var fixture = cases[c];
            var layer = new Linear(fixture.GetProperty("in").GetInt32(), fixture.GetProperty("out").GetInt32(), new Random(c));
            TorchFixture.Load(layer.Weight, fixture.GetProperty("weight"));
            TorchFixture.Load(layer.Bias, fixture.GetProperty("bias"));

            var output = layer.Forward(TorchFixture.ToTensor(fixture.GetProperty("input")));
            var x = TorchFixture.Data(fixture.GetProperty("input"));
            var w = TorchFixture.Data(fixture.GetProperty("weight"));
            var b = TorchFixture.Data(fixture.GetProperty("bias"));
            var g = TorchFixture.Data(fixture.GetProperty("grad_output"));
            var (inputs, outputs) = (fixture.GetProperty("in").GetInt32(), fixture.GetProperty("out").GetInt32());
            var batch = x.Length / inputs;

            // Each result is a sum of products, which Tempo and torch add in different orders (and with or without
            // fused multiply-adds). A float32 sum of n products is within γ_n·Σ|terms| of the exact value, γ_n = n·u/(1 − n·u)
            // (Higham, Accuracy and Stability, §3.1), whatever the order; so the two differ by at most twice that.
            // y = x·Wᵀ + b: n = inputs + 1 terms per output.
            TorchFixture.AssertWithinSumBound(fixture.GetProperty("output"), output.Span, inputs + 1, Grid(batch, outputs, (i, j) => MagnitudeSum(inputs, k => x[(i * inputs) + k] * w[(j * inputs) + k]) + Math.Abs(b[j])), $"case {c} output");

            layer.ZeroGradients();
            var inputGradient = layer.Backward(TorchFixture.ToTensor(fixture.GetProperty("grad_output")));

            // ∂x = g·W: n = outputs; ∂W = gᵀ·x: n = batch; ∂b = column sums of g: n = batch.
            TorchFixture.AssertWithinSumBound(fixture.GetProperty("grad_input"), inputGradient.Span, outputs, Grid(batch, inputs, (i, k) => MagnitudeSum(outputs, j => g[(i * outputs) + j] * w[(j * inputs) + k])), $"case {c} grad_input");
            TorchFixture.AssertWithinSumBound(fixture.GetProperty("grad_weight"), layer.Weight.Gradient.Span, batch, Grid(outputs, inputs, (j, k) => MagnitudeSum(batch, i => g[(i * outputs) + j] * x[(i * inputs) + k])), $"case {c} grad_weight");
            TorchFixture.AssertWithinSumBound(fixture.GetProperty("grad_bias"), layer.Bias.Gradient.Span, batch, Grid(1, outputs, (_, j) => MagnitudeSum(batch, i => g[(i * outputs) + j])), $"case {c} grad_bias");
        }
    }

    /// <summary>The values of <paramref name="at"/> over a row-major [rows, columns] grid.</summary>
    private static double[] Grid(int rows, int columns, Func<int, int, double> at) =>
        [.. Enumerable.Range(0, rows * columns).Select(index => at(index / columns, index % columns))];

    /// <summary>Σ|term(k)| over k &lt; n, in double.</summary>
    private static double MagnitudeSum(int n, Func<int, float> term)
    {
        double sum = 0;
        for (var k = 0; k < n; k++)
        {
            sum += Math.Abs((double)term(k));
        }

        return sum;
    }

    [Theory]
    [InlineData(Activation.None)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Relu)]
    public void Backward_FiniteDifferences_MatchAnalyticGradients(Activation activation)
    {
        var random = new Random(11);
        var layer = new Linear(7, 5, random, activation);
        GradientCheck.Assert(layer, RandomTensor(random, 4, 7), random, samples: 40);
    }

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Relu)]
    public void Forward_FusedActivation_EqualsLinearThenActivationModule(Activation activation)
    {
        var random = new Random(3);
        var fused = new Linear(13, 19, new Random(5), activation);
        var plain = new Linear(13, 19, new Random(5));
        Module separate = activation == Activation.Tanh ? new Tanh() : new Relu();
        var input = RandomTensor(random, 6, 13);
        var upstream = RandomTensor(random, 6, 19);

        // A fused epilogue may evaluate tanh with other (equally accurate) code than the module, so allow a few ulps.
        const double Relative = 1e-5, Absolute = 1e-6;
        var expected = separate.Forward(plain.Forward(input)).Span.ToArray();
        TorchFixture.AssertClose(expected, fused.Forward(input).Span, "output", Relative, Absolute);

        plain.Backward(separate.Backward(upstream));
        var fusedInputGradient = fused.Backward(upstream).Span.ToArray();
        TorchFixture.AssertClose(plain.Weight.Gradient.Span, fused.Weight.Gradient.Span, "weight gradient", Relative, Absolute);
        TorchFixture.AssertClose(plain.Bias.Gradient.Span, fused.Bias.Gradient.Span, "bias gradient", Relative, Absolute);
        TorchFixture.AssertClose(plain.Backward(separate.Backward(upstream)).Span, fusedInputGradient, "input gradient", Relative, Absolute);
    }

    [Fact]
    public void Backward_Twice_AccumulatesParameterGradients()
    {
        var random = new Random(1);
        var layer = new Linear(3, 2, random);
        var input = RandomTensor(random, 4, 3);
        var upstream = RandomTensor(random, 4, 2);
        layer.Forward(input);
        layer.Backward(upstream);
        var once = layer.Weight.Gradient.Span.ToArray();
        var onceBias = layer.Bias.Gradient.Span.ToArray();
        layer.Backward(upstream);
        Assert.Equal(once.Select(g => 2 * g), layer.Weight.Gradient.Span.ToArray());
        Assert.Equal(onceBias.Select(g => 2 * g), layer.Bias.Gradient.Span.ToArray());

        layer.ZeroGradients();
        Assert.All(layer.Weight.Gradient.Span.ToArray(), g => Assert.Equal(0f, g));
        Assert.All(layer.Bias.Gradient.Span.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void AccumulateParameterGradients_MatchesBackwardsParameterGradients()
    {
        var random = new Random(2);
        var a = new Linear(5, 4, new Random(9), Activation.Tanh);
        var b = new Linear(5, 4, new Random(9), Activation.Tanh);
        var input = RandomTensor(random, 3, 5);
        var upstream = RandomTensor(random, 3, 4);
        a.Forward(input);
        a.Backward(upstream);
        b.Forward(input);
        b.AccumulateParameterGradients(upstream);
        Assert.Equal(a.Weight.Gradient.Span.ToArray(), b.Weight.Gradient.Span.ToArray());
        Assert.Equal(a.Bias.Gradient.Span.ToArray(), b.Bias.Gradient.Span.ToArray());
    }

    [Fact]
    public void Forward_WrongFeatureCount_ThrowsNamingBothShapes()
    {
        var layer = new Linear(4, 2, new Random(0));
        var error = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(3, 5)));
        Assert.Contains("[batch ≥ 1, 4]", error.Message);
        Assert.Contains("[3, 5]", error.Message);
        Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(4)));
        Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(0, 4)));
    }

    [Fact]
    public void Backward_BeforeForward_Throws()
    {
        var layer = new Linear(4, 2, new Random(0));
        var error = Assert.Throws<InvalidOperationException>(() => layer.Backward(new Tensor(1, 2)));
        Assert.Contains("Forward", error.Message);
    }

    [Fact]
    public void Backward_AfterFailedForward_Throws()
    {
        var layer = new Linear(4, 2, new Random(0));
        layer.Forward(new Tensor(1, 4));
        Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(1, 3)));
        Assert.Throws<InvalidOperationException>(() => layer.Backward(new Tensor(1, 2)));
    }

    [Fact]
    public void Backward_GradientShapeDiffersFromOutput_ThrowsNamingBothShapes()
    {
        var layer = new Linear(4, 2, new Random(0));
        layer.Forward(new Tensor(3, 4));
        var error = Assert.Throws<ArgumentException>(() => layer.Backward(new Tensor(2, 2)));
        Assert.Contains("[3, 2]", error.Message);
        Assert.Contains("[2, 2]", error.Message);
    }

    [Fact]
    public void Backward_InputReshapedAfterForward_Throws()
    {
        var layer = new Linear(4, 2, new Random(0));
        var input = new Tensor(3, 4);
        layer.Forward(input);
        input.Reshape(5, 4);
        Assert.Throws<InvalidOperationException>(() => layer.Backward(new Tensor(3, 2)));
    }

    [Fact]
    public void Forward_SmallerBatchAfterLarger_ReusesTheOutputStorage()
    {
        var layer = new Linear(4, 3, new Random(0));
        var large = layer.Forward(new Tensor(8, 4));
        var storage = large.Storage;
        var small = layer.Forward(new Tensor(2, 4));
        Assert.Same(large, small);
        Assert.Same(storage, small.Storage);
        Assert.Equal([2, 3], small.Shape);
    }

    [Fact]
    public void NamedParameters_AreWeightThenBiasInTorchLayout()
    {
        var layer = new Linear(4, 3, new Random(0));
        var named = layer.NamedParameters();
        Assert.Equal(["weight", "bias"], named.Select(p => p.Name));
        Assert.Equal([3, 4], named[0].Parameter.Value.Shape);
        Assert.Equal([3], named[1].Parameter.Value.Shape);
        Assert.Equal(["torso.weight", "torso.bias"], layer.NamedParameters("torso").Select(p => p.Name));
    }

    internal static Tensor RandomTensor(Random random, params int[] shape)
    {
        var tensor = new Tensor(shape);
        var span = tensor.Span;
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return tensor;
    }
}
