using Tempo.Core.Envs;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class AddRenderObservationTests
{
    [Fact]
    public void ObservationSpace_IsTheFrameInHeightWidthChannelOrder()
    {
        using var env = new AddRenderObservation<byte, int>(new Catch(new CatchOptions { FrameHeight = 20, FrameWidth = 15 }));

        Assert.Equal("Box(0, 255, (20, 15, 3), uint8)", env.ObservationSpace.ToString());
        Assert.Equal("Discrete(3)", env.ActionSpace.ToString());
    }

    [Fact]
    public void ResetAndStep_ObserveTheRenderedFrame_AndKeepTheInnerObservation()
    {
        var catchEnv = new Catch(new CatchOptions { FrameHeight = 20, FrameWidth = 15 });
        using var env = new AddRenderObservation<byte, int>(new TimeLimit<byte, int>(catchEnv, 50));
        var observation = new byte[20 * 15 * 3];
        var rendered = new byte[observation.Length];

        env.Reset(observation, seed: 4);
        catchEnv.Render(rendered);
        Assert.Equal(rendered, observation);
        Assert.Equal(Grey(observation), env.InnerObservation.ToArray());

        var result = env.Step([2], observation);
        catchEnv.Render(rendered);
        Assert.Equal(rendered, observation);
        Assert.Equal(Grey(observation), env.InnerObservation.ToArray());
        Assert.Equal(new StepResult(0f, false, false), result);
    }

    [Fact]
    public void Constructor_EnvThatCannotRender_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new AddRenderObservation<float, int>(new CountingEnv()));

        Assert.Contains("CountingEnv", error.Message);
        Assert.Contains("cannot render", error.Message);
    }

    [Fact]
    public void ResetAndStep_WrongBufferLength_Throw()
    {
        using var env = new AddRenderObservation<byte, int>(new Catch());

        Assert.Throws<ArgumentException>(() => env.Reset(new byte[84 * 84]));
        env.Reset(new byte[84 * 84 * 3]);
        Assert.Throws<ArgumentException>(() => env.Step([1], new byte[84 * 84]));
    }

    [Fact]
    public void Resume_ObservesTheFrameOfTheWorldThatMovedWhilePaused()
    {
        var inner = new PausableCanvasEnv();
        using var env = new AddRenderObservation<float, int>(inner);
        var observation = new byte[4 * 6 * 3];
        env.Reset(observation);
        env.Step([1], observation);
        Assert.Equal(1, observation[^1]);

        Assert.True(env.CanPause);
        env.Pause();
        Assert.True(env.IsPaused);
        inner.WorldValue = 40;
        env.Resume(observation);

        Assert.False(env.IsPaused);
        Assert.Equal([0, 0, 0], observation[..3]);
        Assert.All(observation[3..], b => Assert.Equal(40, b));
        Assert.Equal([40f], env.InnerObservation.ToArray());
        Assert.Equal(["Reset", "Step(1)", "Pause", "Resume"], inner.Calls);
    }

    [Fact]
    public void Pause_InnerEnvCannotPause_ThrowsNotSupported()
    {
        using var env = new AddRenderObservation<byte, int>(new Catch());

        Assert.False(env.CanPause);
        Assert.Throws<NotSupportedException>(env.Pause);
    }

    [Fact]
    public void TryFind_ReachesTheEnvThroughTheWrapper()
    {
        using var env = new AddRenderObservation<byte, int>(new Catch());

        Assert.True(env.TryFind<Catch>(out _));
        Assert.IsType<Catch>(env.Unwrapped());
    }

    private static byte[] Grey(byte[] rgb) => [.. Enumerable.Range(0, rgb.Length / 3).Select(i => rgb[i * 3])];
}
