using Tempo.Core.Spaces;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class RescaleActionTests
{
    private readonly float[] _observation = new float[2];

    [Fact]
    public void Step_MapsMinMaxOntoInnerBounds()
    {
        // Inner box [0, 10] × [-2, 2], wrapper range [-1, 1]: a' = low + (high - low)(a + 1)/2.
        var inner = new ContinuousActionEnv([0f, -2f], [10f, 2f]);
        using var env = new RescaleAction<float>(inner, minAction: -1f, maxAction: 1f);
        env.Reset(_observation, seed: 0);

        env.Step([-1f, 1f], _observation);
        env.Step([0f, 0f], _observation);
        env.Step([0.5f, -0.5f], _observation);

        Assert.Equal([0f, 2f], inner.ReceivedActions[0]);
        Assert.Equal([5f, 0f], inner.ReceivedActions[1]);
        Assert.Equal([7.5f, -1f], inner.ReceivedActions[2]);
    }

    [Fact]
    public void Step_PerDimensionRanges_MapEachDimension()
    {
        // Dimension 0: [0, 1] onto [0, 10]; dimension 1: [0, 4] onto [-2, 2].
        var inner = new ContinuousActionEnv([0f, -2f], [10f, 2f]);
        using var env = new RescaleAction<float>(inner, [0f, 0f], [1f, 4f]);
        env.Reset(_observation, seed: 0);

        env.Step([0.25f, 3f], _observation);

        Assert.Equal([2.5f, 1f], inner.ReceivedActions[0]);
        var space = Assert.IsType<BoxSpace<float>>(env.ActionSpace);
        Assert.Equal([0f, 0f], space.Low.ToArray());
        Assert.Equal([1f, 4f], space.High.ToArray());
    }

    [Fact]
    public void Step_ActionOutsideRange_ThrowsWithoutStepping()
    {
        var inner = new ContinuousActionEnv([0f, -2f], [10f, 2f]);
        using var env = new RescaleAction<float>(inner, -1f, 1f);
        env.Reset(_observation, seed: 0);

        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([1.5f, 0f], _observation));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([0f, float.NaN], _observation));
        Assert.Throws<ArgumentException>(() => env.Step([0f], _observation));
        Assert.Empty(inner.ReceivedActions);
    }

    [Theory]
    [InlineData(1f, 1f)]
    [InlineData(2f, -1f)]
    [InlineData(float.NaN, 1f)]
    [InlineData(float.NegativeInfinity, 1f)]
    public void Constructor_InvalidRange_ThrowsNamingTheValues(float min, float max)
    {
        var error = Assert.Throws<ArgumentException>(() => new RescaleAction<float>(new ContinuousActionEnv([0f], [1f]), min, max));

        Assert.Contains("min < max", error.Message);
    }

    [Fact]
    public void Constructor_UnboundedInnerSpace_Throws()
    {
        var inner = new ContinuousActionEnv([0f], [float.PositiveInfinity]);

        var error = Assert.Throws<ArgumentException>(() => new RescaleAction<float>(inner, -1f, 1f));

        Assert.Contains("bounded", error.Message);
    }

    [Fact]
    public void Constructor_WrongRangeLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RescaleAction<float>(new ContinuousActionEnv([0f, 0f], [1f, 1f]), [0f], [1f]));
    }
}
