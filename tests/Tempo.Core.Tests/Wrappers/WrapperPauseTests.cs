using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

/// <summary>Pause/Resume through wrappers: forwarding, and the fresh observation transformed like a step's by the three observation wrappers.</summary>
public sealed class WrapperPauseTests
{
    [Fact]
    public void Resume_FrameStack_TheFreshObservationEntersTheStackLikeAStepObservation()
    {
        var inner = new PausableEnv();
        using var env = new FrameStackObservation<float, int>(inner, stackSize: 3);
        var observation = new float[3];
        env.Reset(observation);
        env.Step([0], observation);
        Assert.Equal([0f, 0f, 1f], observation);

        env.Pause();
        inner.WorldValue = 7;
        env.Resume(observation);

        Assert.Equal([0f, 1f, 7f], observation);
        env.Step([0], observation);
        Assert.Equal([1f, 7f, 8f], observation);
        Assert.Equal(["Reset", "Step(0)", "Pause", "Resume", "Step(0)"], inner.Calls);
    }

    [Fact]
    public void Resume_NormalizeObservation_NormalizesWithoutUpdatingTheStatistics()
    {
        var inner = new PausableEnv();
        using var env = new NormalizeObservation<int>(inner);
        var observation = new float[1];
        env.Reset(observation);
        env.Step([0], observation);
        env.Step([0], observation);
        var count = env.Statistics.Count;
        var mean = env.Statistics.Mean[0];
        var variance = env.Statistics.Variance[0];

        env.Pause();
        inner.WorldValue = 5;
        env.Resume(observation);

        Assert.Equal(count, env.Statistics.Count);
        Assert.Equal(mean, env.Statistics.Mean[0]);
        Assert.Equal(variance, env.Statistics.Variance[0]);
        Assert.Equal((float)((5 - mean) / Math.Sqrt(variance + NormalizeObservation<int>.DefaultEpsilon)), observation[0]);
    }

    [Fact]
    public void Resume_ActionHistory_AppendsTheUnchangedHistory()
    {
        var inner = new PausableEnv();
        using var env = new ActionHistory<int>(inner, historyLength: 2);
        var observation = new float[1 + (2 * 3)];
        env.Reset(observation);
        env.Step([1], observation);
        env.Step([2], observation);

        env.Pause();
        inner.WorldValue = 9;
        env.Resume(observation);

        Assert.Equal([9f, 0f, 1f, 0f, 0f, 0f, 1f], observation);
        env.Step([0], observation);
        Assert.Equal([10f, 0f, 0f, 1f, 1f, 0f, 0f], observation);
    }

    [Fact]
    public void Resume_WrongBufferLength_Throws()
    {
        using var stack = new FrameStackObservation<float, int>(new PausableEnv(), stackSize: 2);
        using var history = new ActionHistory<int>(new PausableEnv(), historyLength: 2);
        stack.Reset(new float[2]);
        history.Reset(new float[7]);
        stack.Pause();
        history.Pause();

        Assert.Throws<ArgumentException>(() => stack.Resume(new float[1]));
        Assert.Throws<ArgumentException>(() => history.Resume(new float[1]));
    }

    [Fact]
    public void PauseAndResume_ThroughAStack_ReachTheBottomEnvInOrder()
    {
        var inner = new PausableEnv();
        using var env = new TimeLimit<float, int>(new ClipReward<float, int>(inner, -1f, 1f), 10);
        var observation = new float[1];
        env.Reset(observation);

        Assert.True(env.CanPause);
        env.Pause();
        Assert.True(env.IsPaused);
        inner.WorldValue = 3;
        env.Resume(observation);

        Assert.False(env.IsPaused);
        Assert.Equal(3f, observation[0]);
        Assert.Equal(["Reset", "Pause", "Resume"], inner.Calls);
    }

    [Fact]
    public void Pause_InnerEnvCannotPause_ThrowsNotSupported()
    {
        using var env = new FrameStackObservation<float, int>(new CountingEnv(), stackSize: 2);

        Assert.False(env.CanPause);
        Assert.Throws<NotSupportedException>(env.Pause);
        Assert.Throws<NotSupportedException>(() => env.Resume(new float[6]));
    }
}
