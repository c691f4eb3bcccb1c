using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Tests.Modules;

public sealed class FlattenTests
{
    [Fact]
    public void Forward_KeepsTheBatchAndFlattensTheRestInRowMajorOrder()
    {
        var input = new Tensor(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 2, 2);
        var output = new Flatten().Forward(input);
        Assert.Equal([2, 12], output.Shape);
        Assert.Equal(input.Span.ToArray(), output.Span.ToArray());
    }

    [Fact]
    public void Backward_RestoresTheInputShape()
    {
        var flatten = new Flatten();
        flatten.Forward(new Tensor(2, 3, 2, 2));
        var gradient = new Tensor(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 12);
        var inputGradient = flatten.Backward(gradient);
        Assert.Equal([2, 3, 2, 2], inputGradient.Shape);
        Assert.Equal(gradient.Span.ToArray(), inputGradient.Span.ToArray());
    }

    [Fact]
    public void Backward_FiniteDifferences_MatchAnalyticGradient()
    {
        var random = new Random(2);
        GradientCheck.Assert(new Flatten(), LinearTests.RandomTensor(random, 2, 3, 4), random, samples: 24);
    }

    [Fact]
    public void Forward_RankOne_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new Flatten().Forward(new Tensor(5)));
        Assert.Contains("[5]", error.Message);
    }
}
