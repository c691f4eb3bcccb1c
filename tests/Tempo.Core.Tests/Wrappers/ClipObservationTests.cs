using Tempo.Core.Envs.Registry;
using Tempo.Core.Spaces;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class ClipObservationTests
{
    [Fact]
    public void Step_ObservationsOutsideTheBounds_AreClippedAndTheSpaceShrinks()
    {
        // MountainCar's velocity lies in ±0.07 and its position in [-1.2, 0.6]: clip both to ±0.05.
        using var env = new ClipObservation<int>(EnvRegistry.CreateDefault().Make<float, int>("MountainCar-v0"), -0.05f, 0.05f);
        var observation = new float[2];
        env.Reset(observation, seed: 3);

        Assert.InRange(observation[0], -0.05f, 0.05f);
        var space = Assert.IsType<BoxSpace<float>>(env.ObservationSpace);
        Assert.Equal([-0.05f, -0.05f], space.Low.ToArray());
        Assert.Equal([0.05f, 0.05f], space.High.ToArray());
        for (var i = 0; i < 50; i++)
        {
            env.Step([2], observation);
            Assert.True(space.Contains(observation));
        }
    }

    [Fact]
    public void Constructor_BoundsOutOfOrder_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new ClipObservation<int>(EnvRegistry.CreateDefault().Make<float, int>("CartPole-v1"), 1f, -1f));

        Assert.Contains("min=1", error.Message, StringComparison.Ordinal);
    }
}
