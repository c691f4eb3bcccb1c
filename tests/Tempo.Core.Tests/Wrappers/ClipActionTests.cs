using Tempo.Core.Spaces;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class ClipActionTests
{
    private readonly float[] _observation = new float[2];

    [Fact]
    public void ActionSpace_IsUnboundedWithInnerShape()
    {
        using var env = new ClipAction<float>(new ContinuousActionEnv([-1f, 0f], [1f, 2f]));

        var space = Assert.IsType<BoxSpace<float>>(env.ActionSpace);
        Assert.Equal([2], space.Shape);
        Assert.All(space.Low.ToArray(), x => Assert.Equal(float.NegativeInfinity, x));
        Assert.All(space.High.ToArray(), x => Assert.Equal(float.PositiveInfinity, x));
    }

    [Fact]
    public void Step_ClipsEachDimensionIntoInnerBox()
    {
        var inner = new ContinuousActionEnv([-1f, 0f], [1f, 2f]);
        using var env = new ClipAction<float>(inner);
        env.Reset(_observation, seed: 0);
        float[] action = [5f, -3f];

        env.Step(action, _observation);
        env.Step([0.5f, 1.5f], _observation);
        env.Step([-1e30f, 2.0001f], _observation);

        Assert.Equal([1f, 0f], inner.ReceivedActions[0]);
        Assert.Equal([0.5f, 1.5f], inner.ReceivedActions[1]);
        Assert.Equal([-1f, 2f], inner.ReceivedActions[2]);
        Assert.Equal([5f, -3f], action);
    }

    [Fact]
    public void Step_NaNOrWrongLength_Throws()
    {
        var inner = new ContinuousActionEnv([-1f, 0f], [1f, 2f]);
        using var env = new ClipAction<float>(inner);
        env.Reset(_observation, seed: 0);

        Assert.Throws<ArgumentException>(() => env.Step([float.NaN, 0f], _observation));
        Assert.Throws<ArgumentException>(() => env.Step([0f], _observation));
        Assert.Empty(inner.ReceivedActions);
    }
}
