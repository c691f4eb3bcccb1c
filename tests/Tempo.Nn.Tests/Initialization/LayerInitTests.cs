using Tempo.Nn.Initialization;
using Tempo.Nn.Modules;
using Tempo.Nn.Tests.Modules;

namespace Tempo.Nn.Tests.Initialization;

public sealed class LayerInitTests
{
    [Fact]
    public void TorchDefault_Linear_DrawsWeightAndBiasWithinOneOverSquareRootOfIn()
    {
        var layer = new Linear(16, 300, new Random(1));
        AssertUniformWithin(layer.Weight.Value.Span.ToArray(), 1 / Math.Sqrt(16));
        AssertUniformWithin(layer.Bias.Value.Span.ToArray(), 1 / Math.Sqrt(16));
    }

    [Fact]
    public void TorchDefault_Conv2d_UsesInTimesKernelAreaAsFanIn()
    {
        var layer = new Conv2d(4, 64, 3, new Random(2));
        Assert.Equal(36, LayerInit.FanIn(layer.Weight));
        AssertUniformWithin(layer.Weight.Value.Span.ToArray(), 1 / 6.0);
        Assert.All(layer.Bias.Value.Span.ToArray(), b => Assert.InRange(b, -1 / 6.0, 1 / 6.0));
    }

    [Fact]
    public void TorchDefault_SameSeed_SameLayer()
    {
        var a = new Linear(8, 8, new Random(3));
        var b = new Linear(8, 8, new Random(3));
        var c = new Linear(8, 8, new Random(4));
        Assert.Equal(a.Weight.Value.Span.ToArray(), b.Weight.Value.Span.ToArray());
        Assert.Equal(a.Bias.Value.Span.ToArray(), b.Bias.Value.Span.ToArray());
        Assert.NotEqual(a.Weight.Value.Span.ToArray(), c.Weight.Value.Span.ToArray());
    }

    [Fact]
    public void Orthogonal_LikeCleanRlLayerInit_SetsGainAndConstantBiasAndReturnsTheLayer()
    {
        var random = new Random(5);
        var policyHead = new Linear(64, 6, random);
        Assert.Same(policyHead, LayerInit.Orthogonal(policyHead, LayerInit.PolicyHeadGain, random));
        OrthogonalAssert.SemiOrthogonal(policyHead.Weight.Value, 0.01);
        Assert.All(policyHead.Bias.Value.Span.ToArray(), b => Assert.Equal(0f, b));

        var conv = LayerInit.Orthogonal(new Conv2d(4, 32, 8, random, stride: 4), LayerInit.HiddenGain, random, biasValue: 0.5f);
        OrthogonalAssert.SemiOrthogonal(conv.Weight.Value, Math.Sqrt(2));
        Assert.All(conv.Bias.Value.Span.ToArray(), b => Assert.Equal(0.5f, b));

        var valueHead = LayerInit.Orthogonal(new Linear(64, 1, random), LayerInit.ValueHeadGain, random);
        OrthogonalAssert.SemiOrthogonal(valueHead.Weight.Value, 1);
    }

    private static void AssertUniformWithin(float[] values, double bound)
    {
        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        Assert.True(values.Min() < -0.9 * bound && values.Max() > 0.9 * bound, $"values span [{values.Min()}, {values.Max()}], expected most of ±{bound}");
    }
}
