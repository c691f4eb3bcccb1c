using Tempo.Nn.Initialization;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Modules;

public sealed class NatureCnnTests
{
    [Fact]
    public void ForwardAndBackward_TorchFixtureWithActorCriticHeads_MatchEveryOutputAndGradient()
    {
        var fixture = TorchFixture.Load("nature_cnn_small.json");
        var frameShape = TorchFixture.Shape(fixture.GetProperty("frames_uint8"));
        var parameters = fixture.GetProperty("params");
        var hidden = TorchFixture.Shape(parameters.GetProperty("fc.weight"))[0];
        var random = new Random(0);
        var torso = new NatureCnn(frameShape[1], frameShape[2], frameShape[3], random, hidden);
        var policy = new Linear(hidden, TorchFixture.Shape(parameters.GetProperty("pi.weight"))[0], random);
        var value = new Linear(hidden, 1, random);

        // The fixture's c1/c2/c3/fc are CleanRL's network.0/2/4/7.
        var torchNames = new Dictionary<string, string> { ["c1"] = "0", ["c2"] = "2", ["c3"] = "4", ["fc"] = "7" };
        var byName = torso.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var (torch, ours) in torchNames)
        {
            TorchFixture.Load(byName[$"{ours}.weight"], parameters.GetProperty($"{torch}.weight"));
            TorchFixture.Load(byName[$"{ours}.bias"], parameters.GetProperty($"{torch}.bias"));
        }

        TorchFixture.Load(policy.Weight, parameters.GetProperty("pi.weight"));
        TorchFixture.Load(policy.Bias, parameters.GetProperty("pi.bias"));
        TorchFixture.Load(value.Weight, parameters.GetProperty("v.weight"));
        TorchFixture.Load(value.Bias, parameters.GetProperty("v.bias"));

        var frames = TorchFixture.Data(fixture.GetProperty("frames_uint8")).Select(v => checked((byte)v)).ToArray();
        var features = torso.Forward(frames, frameShape[0]);
        var logits = policy.Forward(features);
        var values = value.Forward(features);

        var featureGradient = new Tensor([.. features.Shape]);
        AddInto(featureGradient, policy.Backward(TorchFixture.ToTensor(fixture.GetProperty("grad_logits"))));
        AddInto(featureGradient, value.Backward(TorchFixture.ToTensor(fixture.GetProperty("grad_value"))));
        torso.ZeroGradients();
        torso.AccumulateParameterGradients(featureGradient);

        // Bounds: the same network in double beside a running bound on any float32 implementation's distance from exact
        // (BoundedStack: every sum within γ_n·Σ|terms|, carried through |W|, ReLU and the pixel scaling), so Tempo and
        // torch must agree within twice that per element. The two heads are one affine map of the features: their
        // gradients meet in the features' gradient as one sum of actions + 1 terms, added in some order.
        var reference = Reference(fixture, frameShape, hidden);
        var actionCount = TorchFixture.Shape(parameters.GetProperty("pi.weight"))[0];
        var expectedLogits = TorchFixture.Data(fixture.GetProperty("logits"));
        var expectedValues = TorchFixture.Data(fixture.GetProperty("value"));
        var headBounds = reference.OutputError.Select(e => 2 * e).ToArray();
        var batch = frameShape[0];
        Float32Bounds.AssertWithin(
            expectedLogits.Select(v => (double)v).ToArray(), logits.Span, Rows(headBounds, batch, actionCount + 1, 0, actionCount), "logits");
        Float32Bounds.AssertWithin(
            expectedValues.Select(v => (double)v).ToArray(), values.Span, Rows(headBounds, batch, actionCount + 1, actionCount, 1), "value");

        var gradients = fixture.GetProperty("grads");
        string[] torchLayers = ["c1", "c2", "c3", "fc"];
        for (var layer = 0; layer < torchLayers.Length; layer++)
        {
            var (torch, ours) = (torchLayers[layer], torchNames[torchLayers[layer]]);
            var bound = reference.Gradients[layer];
            AssertGradient(gradients.GetProperty($"{torch}.weight"), byName[$"{ours}.weight"].Gradient.Span, bound.WeightError, $"{torch}.weight");
            AssertGradient(gradients.GetProperty($"{torch}.bias"), byName[$"{ours}.bias"].Gradient.Span, bound.BiasError, $"{torch}.bias");
        }

        var heads = reference.Gradients[^1];
        var policyWeights = actionCount * hidden;
        AssertGradient(gradients.GetProperty("pi.weight"), policy.Weight.Gradient.Span, heads.WeightError[..policyWeights], "pi.weight");
        AssertGradient(gradients.GetProperty("pi.bias"), policy.Bias.Gradient.Span, heads.BiasError[..actionCount], "pi.bias");
        AssertGradient(gradients.GetProperty("v.weight"), value.Weight.Gradient.Span, heads.WeightError[policyWeights..], "v.weight");
        AssertGradient(gradients.GetProperty("v.bias"), value.Bias.Gradient.Span, heads.BiasError[actionCount..], "v.bias");
    }

    /// <summary>CleanRL's network in double with its error bounds: x/255 (one rounding in torch, two in ours), three convolutions, fc, and both heads as one affine map.</summary>
    private static BoundedStack Reference(System.Text.Json.JsonElement fixture, int[] frameShape, int hidden)
    {
        var p = fixture.GetProperty("params");
        float[] Get(string name) => TorchFixture.Data(p.GetProperty(name));
        int[] Shape(string name) => TorchFixture.Shape(p.GetProperty(name));
        var c3 = Shape("c3.weight");
        var (batch, channels, height, width) = (frameShape[0], frameShape[1], frameShape[2], frameShape[3]);
        var conv3Size = (int)Math.Sqrt(Shape("fc.weight")[1] / c3[0]);
        var actions = Shape("pi.weight")[0];
        var stack = new BoundedStack(batch, channels, height, width, [
            new BoundedStack.Scale(1.0 / 255, Roundings: 2),
            new BoundedStack.Affine(Get("c1.weight"), Get("c1.bias"), Shape("c1.weight")[0], 8, 8, Stride: 4),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(Get("c2.weight"), Get("c2.bias"), Shape("c2.weight")[0], 4, 4, Stride: 2),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(Get("c3.weight"), Get("c3.bias"), c3[0], 3, 3),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(Get("fc.weight"), Get("fc.bias"), hidden, conv3Size, conv3Size),
            new BoundedStack.Relu(),
            new BoundedStack.Affine([.. Get("pi.weight"), .. Get("v.weight")], [.. Get("pi.bias"), .. Get("v.bias")], actions + 1, 1, 1),
        ]);
        stack.Forward(TorchFixture.Data(fixture.GetProperty("frames_uint8")));
        var gradLogits = TorchFixture.Data(fixture.GetProperty("grad_logits"));
        var gradValue = TorchFixture.Data(fixture.GetProperty("grad_value"));
        var upstream = new double[batch * (actions + 1)];
        for (var b = 0; b < batch; b++)
        {
            for (var a = 0; a < actions; a++)
            {
                upstream[(b * (actions + 1)) + a] = gradLogits[(b * actions) + a];
            }

            upstream[(b * (actions + 1)) + actions] = gradValue[b];
        }

        stack.Backward(upstream);
        return stack;
    }

    /// <summary>Columns [first, first + count) of a row-major [rows, width] array.</summary>
    private static double[] Rows(double[] data, int rows, int width, int first, int count) =>
        Enumerable.Range(0, rows).SelectMany(r => data.Skip((r * width) + first).Take(count)).ToArray();

    private static void AssertGradient(System.Text.Json.JsonElement expected, ReadOnlySpan<float> actual, double[] error, string what) =>
        Float32Bounds.AssertWithin(TorchFixture.Data(expected).Select(v => (double)v).ToArray(), actual, error.Select(e => 2 * e).ToArray(), what);

    [Fact]
    public void Backward_FiniteDifferences_MatchAnalyticGradients()
    {
        var random = new Random(31);
        // The layers are checked one by one elsewhere; this checks the wiring (scaling, order, flattening) at the smallest size.
        var network = new NatureCnn(1, 36, 37, random, hiddenSize: 8);
        var pixels = new Tensor(1, 1, 36, 37);
        var span = pixels.Span;
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = random.Next(256);
        }

        // Pixels are in [0, 255] and get divided by 255, so their step is a tenth of a pixel.
        GradientCheck.Assert(network, pixels, random, samples: 4, epsilon: 1e-3, inputEpsilon: 0.1);
    }

    [Fact]
    public void ForwardOnBytes_EqualsForwardOnFloatPixels()
    {
        var random = new Random(32);
        var network = new NatureCnn(1, 40, 36, random, hiddenSize: 5);
        var bytes = new byte[2 * 40 * 36];
        random.NextBytes(bytes);
        var fromBytes = network.Forward(bytes, 2).Span.ToArray();
        var fromFloats = network.Forward(new Tensor(bytes.Select(b => (float)b).ToArray(), 2, 1, 40, 36)).Span.ToArray();
        Assert.Equal(fromFloats, fromBytes);
    }

    [Fact]
    public void Constructor_Atari_HasCleanRlShapesAndNames()
    {
        var network = new NatureCnn(4, 84, 84, new Random(0));
        Assert.Equal(3136, network.FeatureSize);
        Assert.Equal(512, network.OutputSize);
        var named = network.NamedParameters("network");
        Assert.Equal(
            ["network.0.weight", "network.0.bias", "network.2.weight", "network.2.bias", "network.4.weight", "network.4.bias", "network.7.weight", "network.7.bias"],
            named.Select(p => p.Name));
        Assert.Equal([32, 4, 8, 8], named[0].Parameter.Value.Shape);
        Assert.Equal([64, 32, 4, 4], named[2].Parameter.Value.Shape);
        Assert.Equal([64, 64, 3, 3], named[4].Parameter.Value.Shape);
        Assert.Equal([512, 3136], named[6].Parameter.Value.Shape);
    }

    [Fact]
    public void CreateOrthogonal_InitializesEveryLayerOrthogonallyWithZeroBias()
    {
        var network = NatureCnn.CreateOrthogonal(1, 36, 36, LayerInit.HiddenGain, new Random(3), hiddenSize: 16);
        foreach (IAffineLayer layer in new IAffineLayer[] { network.Conv1, network.Conv2, network.Conv3, network.Hidden })
        {
            OrthogonalAssert.SemiOrthogonal(layer.Weight.Value, LayerInit.HiddenGain);
            Assert.All(layer.Bias.Value.Span.ToArray(), b => Assert.Equal(0f, b));
        }
    }

    [Fact]
    public void Forward_WrongFrames_ThrowsNamingTheProblem()
    {
        var network = new NatureCnn(4, 36, 36, new Random(0), hiddenSize: 4);
        var shape = Assert.Throws<ArgumentException>(() => network.Forward(new Tensor(1, 4, 36, 40)));
        Assert.Contains("[batch ≥ 1, 4, 36, 36]", shape.Message);
        Assert.Contains("[1, 4, 36, 40]", shape.Message);
        var length = Assert.Throws<ArgumentException>(() => network.Forward(new byte[100], 1));
        Assert.Contains("5184", length.Message);
        Assert.Contains("100", length.Message);
        Assert.Throws<InvalidOperationException>(() => network.Backward(new Tensor(1, 4)));
        Assert.Throws<ArgumentException>(() => new NatureCnn(4, 35, 84, new Random(0)));
    }

    private static void AddInto(Tensor sum, Tensor addend)
    {
        var s = sum.Span;
        var a = addend.Span;
        for (var i = 0; i < s.Length; i++)
        {
            s[i] += a[i];
        }
    }
}
