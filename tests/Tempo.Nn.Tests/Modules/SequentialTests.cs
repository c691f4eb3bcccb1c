using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Tests.Modules;

public sealed class SequentialTests
{
    [Fact]
    public void NamedParameters_FusedActivations_CountAsTwoTorchModules()
    {
        var random = new Random(0);
        var network = new Sequential(
            new Linear(4, 64, random, Activation.Tanh),
            new Linear(64, 64, random, Activation.Tanh),
            new Linear(64, 2, random));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], network.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void NamedParameters_SeparateActivationModules_TakeTheirOwnPosition()
    {
        var random = new Random(0);
        var network = new Sequential(new Linear(4, 8, random), new Tanh(), new Linear(8, 1, random));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], network.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void NamedParameters_NestedAndExplicitNames_AreDottedPaths()
    {
        var random = new Random(0);
        var torso = Mlp.Create([4, 8, 8], Activation.Tanh, random);
        var network = new Sequential(new NamedModule("torso", torso), new NamedModule("head", new Linear(8, 3, random)));
        Assert.Equal(
            ["torso.0.weight", "torso.0.bias", "torso.2.weight", "torso.2.bias", "head.weight", "head.bias"],
            network.NamedParameters().Select(p => p.Name));
        Assert.Equal(["agent.head.bias"], network.NamedParameters("agent").Select(p => p.Name).TakeLast(1));
        Assert.Equal(network.NamedParameters().Select(p => p.Parameter), network.Parameters());
        Assert.Equal(["torso", "head"], network.Children.Select(c => c.Name));
        Assert.Same(torso, network.Children[0].Module);
    }

    [Fact]
    public void Constructor_DuplicateOrDottedOrNoNames_Throws()
    {
        var random = new Random(0);
        Assert.Throws<ArgumentException>(() => new Sequential(new NamedModule("a", new Tanh()), new NamedModule("a", new Relu())));
        Assert.Throws<ArgumentException>(() => new Sequential(new NamedModule("a.b", new Tanh())));
        Assert.Throws<ArgumentException>(() => new Sequential(Array.Empty<Module>()));
        Assert.Throws<ArgumentNullException>(() => new Sequential(new Linear(1, 1, random), null!));
    }

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Relu)]
    public void Backward_FiniteDifferences_MatchAnalyticGradients(Activation activation)
    {
        var random = new Random(21);
        var network = Mlp.Create([5, 9, 7, 3], activation, random);

        // A ReLU network is piecewise linear: central differences are exact unless the step crosses a kink,
        // which a small step makes unlikely; float32 noise in the loss (~1e-7) stays well below the tolerance.
        GradientCheck.Assert(network, LinearTests.RandomTensor(random, 4, 5), random, samples: 30, epsilon: 1e-3);
    }

    [Fact]
    public void Backward_WithSeparateActivationModules_MatchesFiniteDifferences()
    {
        var random = new Random(22);
        var network = new Sequential(new Linear(3, 6, random), new Tanh(), new Linear(6, 6, random), new Relu(), new Linear(6, 2, random));
        GradientCheck.Assert(network, LinearTests.RandomTensor(random, 5, 3), random, samples: 30, epsilon: 1e-3);
    }

    [Fact]
    public void AccumulateParameterGradients_MatchesBackwardsParameterGradients()
    {
        var random = new Random(23);
        var a = Mlp.Create([3, 5, 2], Activation.Tanh, new Random(1));
        var b = Mlp.Create([3, 5, 2], Activation.Tanh, new Random(1));
        var input = LinearTests.RandomTensor(random, 4, 3);
        var upstream = LinearTests.RandomTensor(random, 4, 2);
        a.Forward(input);
        a.Backward(upstream);
        b.Forward(input);
        b.AccumulateParameterGradients(upstream);
        var expected = a.Parameters().Select(p => p.Gradient.Span.ToArray()).ToArray();
        var actual = b.Parameters().Select(p => p.Gradient.Span.ToArray()).ToArray();
        Assert.Equal(expected, actual);
        Assert.Contains(actual, g => g.Any(x => x != 0));
    }

    [Fact]
    public void ZeroGradients_ClearsEveryDescendant()
    {
        var random = new Random(24);
        var network = Mlp.Create([3, 5, 2], Activation.Relu, random);
        network.Forward(LinearTests.RandomTensor(random, 2, 3));
        network.Backward(LinearTests.RandomTensor(random, 2, 2));
        network.ZeroGradients();
        Assert.All(network.Parameters(), p => Assert.All(p.Gradient.Span.ToArray(), g => Assert.Equal(0f, g)));
    }

    [Fact]
    public void Forward_WrongInputShape_IsReportedByTheFirstLayer()
    {
        var network = Mlp.Create([4, 8, 2], Activation.Tanh, new Random(0));
        var error = Assert.Throws<ArgumentException>(() => network.Forward(new Tensor(2, 3)));
        Assert.Contains("[2, 3]", error.Message);
        Assert.Throws<InvalidOperationException>(() => network.Backward(new Tensor(2, 2)));
    }
}
