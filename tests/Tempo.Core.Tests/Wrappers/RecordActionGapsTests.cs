using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

/// <summary>The action-gap wrapper on plain (non-live) envs and a manual clock: every gap is known exactly.</summary>
public sealed class RecordActionGapsTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly float[] _observation = new float[3];

    [Fact]
    public void Step_RecordsTheTimeBetweenConsecutiveActions()
    {
        using var env = new RecordActionGaps<float, int>(new CountingEnv(episodeLength: 100), timeProvider: _clock);
        env.Reset(_observation);
        env.Step([0], _observation);
        foreach (var milliseconds in new[] { 10, 30, 20, 40 })
        {
            _clock.Advance(TimeSpan.FromMilliseconds(milliseconds));
            env.Step([1], _observation);
        }

        var gaps = env.ActionGaps;
        Assert.Equal(4, gaps.Window.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(25), gaps.Window.Mean);
        Assert.Equal(TimeSpan.FromMilliseconds(25), gaps.Window.P50);
        Assert.Equal(TimeSpan.FromMilliseconds(40), gaps.Window.Max);
        Assert.Equal(TimeSpan.FromMilliseconds(40), gaps.Run.Max);
    }

    [Fact]
    public void ResetAndResume_StartANewSequence_AndTheWindowResetsAlone()
    {
        using var env = new RecordActionGaps<float, int>(new PausableEnv(_clock), window: 8, timeProvider: _clock);
        var observation = new float[1];
        env.Reset(observation);
        env.Step([0], observation);
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        env.Step([0], observation);

        _clock.Advance(TimeSpan.FromSeconds(5));
        env.Reset(observation);
        env.Step([0], observation);
        env.Pause();
        _clock.Advance(TimeSpan.FromSeconds(5));
        env.Resume(observation);
        env.Step([0], observation);
        _clock.Advance(TimeSpan.FromMilliseconds(20));
        env.Step([0], observation);

        var gaps = env.ActionGaps;
        Assert.Equal(2, gaps.Run.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(20), gaps.Run.Max);

        env.ResetActionGapWindow();
        _clock.Advance(TimeSpan.FromMilliseconds(30));
        env.Step([0], observation);
        Assert.Equal(1, env.ActionGaps.Window.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(30), env.ActionGaps.Window.Max);
        Assert.Equal(3, env.ActionGaps.Run.Count);
    }

    [Fact]
    public void Step_TheInnerEnvRejectsTheAction_NoGapIsRecorded()
    {
        using var env = new RecordActionGaps<float, int>(new CountingEnv(), timeProvider: _clock);
        env.Reset(_observation);
        env.Step([0], _observation);

        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([7], _observation));

        Assert.Equal(0, env.ActionGaps.Run.Count);
    }

    [Fact]
    public void SplitStepping_IsForwardedOnlyWhenTheInnerEnvSupportsIt()
    {
        using var plain = new RecordActionGaps<float, int>(new CountingEnv());

        Assert.False(plain.CanSplitStep);
        Assert.Throws<NotSupportedException>(() => plain.Submit([0]));
        Assert.True(((IEnv)plain).TryFind<IActionGapSource>(out var found));
        Assert.Same(plain, found);
    }

    [Fact]
    public void Create_NonPositiveWindow_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RecordActionGaps<float, int>(new CountingEnv(), window: 0));
        Assert.Contains("0", error.Message);
    }
}
