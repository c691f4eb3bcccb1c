using Tempo.Core.Spaces;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class FrameStackObservationTests
{
    [Fact]
    public void ObservationSpace_AddsLeadingStackAxisAndRepeatsBounds()
    {
        using var env = new FrameStackObservation<float, int>(new CountingEnv(episodeLength: 5, actionCount: 3), stackSize: 4);

        var space = Assert.IsType<BoxSpace<float>>(env.ObservationSpace);
        Assert.Equal([4, 3], space.Shape);
        Assert.Equal([0f, -1f, 0f, 0f, -1f, 0f, 0f, -1f, 0f, 0f, -1f, 0f], space.Low.ToArray());
        Assert.Equal([5f, 2f, 1f, 5f, 2f, 1f, 5f, 2f, 1f, 5f, 2f, 1f], space.High.ToArray());
    }

    [Fact]
    public void Reset_FillsEveryFrameWithTheResetObservation()
    {
        using var env = new FrameStackObservation<float, int>(new CountingEnv(), stackSize: 3);
        var observation = new float[9];

        env.Reset(observation, seed: 4);

        var frame = observation[..3];
        Assert.Equal(0f, frame[0]);
        Assert.Equal(-1f, frame[1]);
        Assert.Equal(frame, observation[3..6]);
        Assert.Equal(frame, observation[6..9]);
    }

    [Fact]
    public void Step_AfterSteps_OrdersFramesOldestFirstNewestLast()
    {
        using var env = new FrameStackObservation<float, int>(new CountingEnv(episodeLength: 10), stackSize: 3);
        var observation = new float[9];
        env.Reset(observation, seed: 4);

        env.Step([2], observation);
        Assert.Equal([0f, 0f, 1f], StepCounts(observation));
        Assert.Equal(2f, observation[7]);

        env.Step([1], observation);
        Assert.Equal([0f, 1f, 2f], StepCounts(observation));

        env.Step([0], observation);
        env.Step([0], observation);
        Assert.Equal([2f, 3f, 4f], StepCounts(observation));
        Assert.Equal([1f, 0f, 0f], LastActions(observation));
    }

    [Fact]
    public void Reset_AfterSteps_RefillsTheStack()
    {
        using var env = new FrameStackObservation<float, int>(new CountingEnv(episodeLength: 10), stackSize: 3);
        var observation = new float[9];
        env.Reset(observation, seed: 4);
        env.Step([0], observation);
        env.Step([0], observation);

        env.Reset(observation);

        Assert.Equal([0f, 0f, 0f], StepCounts(observation));
        env.Step([0], observation);
        Assert.Equal([0f, 0f, 1f], StepCounts(observation));
    }

    [Fact]
    public void Step_ByteImages_StacksFramesAlongLeadingAxis()
    {
        var inner = new ByteImageEnv(height: 2, width: 3);
        using var env = new FrameStackObservation<byte, int>(inner, stackSize: 4);
        var observation = new byte[4 * 6];
        Assert.Equal([4, 2, 3], env.ObservationSpace.Shape);

        env.Reset(observation, seed: 9);
        var first = inner.FrameBase;
        for (var i = 0; i < 5; i++)
        {
            env.Step([1], observation);
        }

        // After 5 steps the stack holds frames 2, 3, 4, 5; every pixel of frame t is FrameBase + t.
        for (var slot = 0; slot < 4; slot++)
        {
            Assert.All(observation.AsSpan(slot * 6, 6).ToArray(), pixel => Assert.Equal(first + 2 + slot, pixel));
        }
    }

    [Fact]
    public void Step_StackOfOne_EqualsInnerObservation()
    {
        using var env = new FrameStackObservation<float, int>(new CountingEnv(episodeLength: 10), stackSize: 1);
        var observation = new float[3];
        env.Reset(observation, seed: 4);

        env.Step([2], observation);

        Assert.Equal([1f, 2f], observation[..2]);
    }

    [Fact]
    public void Step_WrongBufferLength_ThrowsWithoutSteppingInner()
    {
        var inner = new CountingEnv(episodeLength: 10);
        using var env = new FrameStackObservation<float, int>(inner, stackSize: 3);
        env.Reset(new float[9], seed: 4);

        var error = Assert.Throws<ArgumentException>(() => env.Step([0], new float[3]));

        Assert.Contains("9", error.Message);
        Assert.Equal(0, inner.TotalSteps);
        Assert.Throws<ArgumentException>(() => env.Reset(new float[3]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Constructor_NonPositiveStackSize_ThrowsNamingTheValue(int stackSize)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FrameStackObservation<float, int>(new CountingEnv(), stackSize));

        Assert.Contains($"got {stackSize}", error.Message);
    }

    private static float[] StepCounts(float[] observation) => [observation[0], observation[3], observation[6]];

    private static float[] LastActions(float[] observation) => [observation[1], observation[4], observation[7]];
}
