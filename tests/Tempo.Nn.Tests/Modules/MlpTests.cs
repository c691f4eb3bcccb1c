using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;

namespace Tempo.Nn.Tests.Modules;

public sealed class MlpTests
{
    [Fact]
    public void Create_FusesTheActivationIntoEveryLayerButTheLast()
    {
        var network = Mlp.Create([4, 64, 64, 2], Activation.Tanh, new Random(0));
        var layers = network.Layers.Cast<Linear>().ToArray();
        Assert.Equal([Activation.Tanh, Activation.Tanh, Activation.None], layers.Select(l => l.Activation));
        Assert.Equal([4, 64, 64], layers.Select(l => l.InputSize));
        Assert.Equal([64, 64, 2], layers.Select(l => l.OutputSize));
        Assert.Equal([64, 4], network.NamedParameters().Single(p => p.Name == "0.weight").Parameter.Value.Shape);
        Assert.Equal([2, 64], network.NamedParameters().Single(p => p.Name == "4.weight").Parameter.Value.Shape);
    }

    [Fact]
    public void CreateOrthogonal_UsesHiddenAndOutputGainsAndZeroBiases()
    {
        var network = Mlp.CreateOrthogonal([4, 16, 16, 2], Activation.Tanh, LayerInit.HiddenGain, LayerInit.PolicyHeadGain, new Random(1));
        var layers = network.Layers.Cast<Linear>().ToArray();
        OrthogonalAssert.SemiOrthogonal(layers[0].Weight.Value, LayerInit.HiddenGain);
        OrthogonalAssert.SemiOrthogonal(layers[1].Weight.Value, LayerInit.HiddenGain);
        OrthogonalAssert.SemiOrthogonal(layers[2].Weight.Value, LayerInit.PolicyHeadGain);
        Assert.All(layers, l => Assert.All(l.Bias.Value.Span.ToArray(), b => Assert.Equal(0f, b)));
    }

    [Fact]
    public void Create_SameSeed_SameWeights()
    {
        var a = Mlp.Create([4, 8, 1], Activation.Tanh, new Random(7)).Parameters().SelectMany(p => p.Value.Span.ToArray());
        var b = Mlp.Create([4, 8, 1], Activation.Tanh, new Random(7)).Parameters().SelectMany(p => p.Value.Span.ToArray());
        Assert.Equal(a, b);
    }

    [Fact]
    public void Create_InvalidSizes_Throw()
    {
        Assert.Throws<ArgumentException>(() => Mlp.Create([4], Activation.Tanh, new Random(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mlp.Create([4, 0, 2], Activation.Tanh, new Random(0)));
    }
}
