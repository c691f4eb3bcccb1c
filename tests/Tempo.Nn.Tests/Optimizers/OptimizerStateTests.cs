using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Nn.Tests.Optimizers;

public sealed class OptimizerStateTests
{
    [Fact]
    public void Constructor_TwoKinds_CreatesOneBufferPerKindAndParameterShapedLikeIt()
    {
        var state = new OptimizerState("Adam", [new Parameter("w", 2, 3), new Parameter("b", 2)], "exp_avg", "exp_avg_sq");

        Assert.Equal(["exp_avg/w", "exp_avg/b", "exp_avg_sq/w", "exp_avg_sq/b"], state.Buffers.Select(buffer => buffer.Name));
        Assert.Equal([2, 3], state.Buffer(1, 0).Shape);
        Assert.Same(state.Buffers[3].Tensor, state.Buffer(1, 1));
    }

    [Fact]
    public void Reset_AfterSteps_ZeroesStepCountAndBuffers()
    {
        var parameter = new Parameter("w", 3);
        parameter.Gradient.Span.Fill(1f);
        var adam = new Adam([parameter], new AdamOptions());
        adam.Step();

        adam.State.Reset();

        Assert.Equal(0, adam.State.StepCount);
        Assert.All(adam.State.Buffers, buffer => Assert.All(buffer.Tensor.Span.ToArray(), value => Assert.Equal(0f, value)));
    }

    [Fact]
    public void StepCount_Negative_Throws()
    {
        var state = new OptimizerState("Sgd", [new Parameter("w", 1)]);

        Assert.Throws<ArgumentOutOfRangeException>(() => state.StepCount = -1);
    }
}
