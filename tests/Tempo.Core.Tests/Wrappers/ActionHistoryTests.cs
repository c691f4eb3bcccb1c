using Tempo.Core.Spaces;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class ActionHistoryTests
{
    [Fact]
    public void ObservationSpace_Discrete_AppendsOneHotSlotsBoundedByZeroAndOne()
    {
        using var env = new ActionHistory<int>(new CountingEnv(episodeLength: 5, actionCount: 3), historyLength: 2);

        var space = Assert.IsType<BoxSpace<float>>(env.ObservationSpace);
        Assert.Equal([9], space.Shape);
        Assert.Equal(3, env.SlotSize);
        Assert.Equal([0f, -1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f], space.Low.ToArray());
        Assert.Equal([5f, 2f, 1f, 1f, 1f, 1f, 1f, 1f, 1f], space.High.ToArray());
    }

    [Fact]
    public void Reset_HistoryIsAllZeros()
    {
        using var env = new ActionHistory<int>(new CountingEnv(), historyLength: 2);
        var observation = new float[9];
        Array.Fill(observation, 7f);

        env.Reset(observation, seed: 1);

        Assert.Equal([0f, -1f], observation[..2]);
        Assert.Equal(new float[6], observation[3..]);
    }

    [Fact]
    public void Step_Discrete_AppendsOneHotSlotsNewestLast()
    {
        using var env = new ActionHistory<int>(new CountingEnv(episodeLength: 10, actionCount: 3), historyLength: 2);
        var observation = new float[9];
        env.Reset(observation, seed: 1);

        env.Step([2], observation);
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 1f], observation[3..]);
        Assert.Equal([1f, 2f], observation[..2]);

        env.Step([0], observation);
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f], observation[3..]);

        env.Step([1], observation);
        Assert.Equal([1f, 0f, 0f, 0f, 1f, 0f], observation[3..]);
    }

    [Fact]
    public void Step_DiscreteWithStart_OneHotIndexIsActionMinusStart()
    {
        using var env = new ActionHistory<int>(new CountingEnv(episodeLength: 10, actionCount: 3, actionStart: 5), historyLength: 1);
        var observation = new float[6];
        env.Reset(observation, seed: 1);

        env.Step([6], observation);

        Assert.Equal([0f, 1f, 0f], observation[3..]);
    }

    [Fact]
    public void Reset_AfterSteps_ClearsHistory()
    {
        using var env = new ActionHistory<int>(new CountingEnv(episodeLength: 10), historyLength: 2);
        var observation = new float[9];
        env.Reset(observation, seed: 1);
        env.Step([2], observation);
        env.Step([1], observation);

        env.Reset(observation);
        Assert.Equal(new float[6], observation[3..]);

        env.Step([0], observation);
        Assert.Equal([0f, 0f, 0f, 1f, 0f, 0f], observation[3..]);
    }

    [Fact]
    public void Step_Continuous_AppendsValuesClippedToActionBounds()
    {
        using var env = new ActionHistory<float>(new ContinuousActionEnv([-1f, 0.5f], [1f, 2f]), historyLength: 2);
        var observation = new float[6];
        env.Reset(observation, seed: 1);
        Assert.Equal(new float[4], observation[2..]);

        env.Step([0.5f, 1.5f], observation);
        Assert.Equal([0f, 0f, 0.5f, 1.5f], observation[2..]);

        env.Step([3f, -1f], observation);
        Assert.Equal([0.5f, 1.5f, 1f, 0.5f], observation[2..]);
        Assert.Equal([2f, 3f], observation[..2]);
    }

    [Fact]
    public void ObservationSpace_Continuous_UsesActionBoundsWidenedToZero()
    {
        using var env = new ActionHistory<float>(new ContinuousActionEnv([-1f, 0.5f], [1f, 2f]), historyLength: 2);

        var space = Assert.IsType<BoxSpace<float>>(env.ObservationSpace);
        Assert.Equal([0f, 0f, -1f, 0f, -1f, 0f], space.Low.ToArray());
        Assert.Equal([1e6f, 1e6f, 1f, 2f, 1f, 2f], space.High.ToArray());
    }

    [Fact]
    public void Step_InvalidActionOrBuffer_ThrowsAndKeepsHistory()
    {
        var inner = new CountingEnv(episodeLength: 10, actionCount: 3);
        using var env = new ActionHistory<int>(inner, historyLength: 1);
        var observation = new float[6];
        env.Reset(observation, seed: 1);
        env.Step([1], observation);

        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([3], observation));
        Assert.Throws<ArgumentException>(() => env.Step([0], new float[3]));

        env.Step([2], observation);
        Assert.Equal([0f, 0f, 1f], observation[3..]);
        Assert.Equal(2, inner.TotalSteps);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    public void Constructor_NonPositiveLength_ThrowsNamingTheValue(int historyLength)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ActionHistory<int>(new CountingEnv(), historyLength));

        Assert.Contains($"got {historyLength}", error.Message);
    }
}
