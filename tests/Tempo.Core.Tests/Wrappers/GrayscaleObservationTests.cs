using Tempo.Core.Envs.Pixel;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class GrayscaleObservationTests
{
    [Theory]
    [InlineData(255, 0, 0, 76)] // 0.299 · 255 = 76.2
    [InlineData(0, 255, 0, 150)] // 0.587 · 255 = 149.7
    [InlineData(0, 0, 255, 29)] // 0.114 · 255 = 29.1
    [InlineData(255, 255, 255, 255)]
    [InlineData(0, 0, 0, 0)]
    [InlineData(10, 200, 30, 124)] // 2.99 + 117.4 + 3.42 = 123.81
    [InlineData(100, 50, 25, 62)] // 29.9 + 29.35 + 2.85 = 62.1
    public void Convert_Pixel_GivesTheItuR601Luma(byte red, byte green, byte blue, byte expected)
    {
        var grey = new byte[2];

        GrayscaleObservation<int>.Convert([red, green, blue, 0, 0, 0], grey);

        Assert.Equal([expected, 0], grey);
    }

    [Fact]
    public void Convert_WrongLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => GrayscaleObservation<int>.Convert(new byte[9], new byte[2]));
    }

    [Fact]
    public void ObservationSpace_DropsOrKeepsTheChannelAxis()
    {
        using var dropped = new GrayscaleObservation<int>(new AddRenderObservation<byte, int>(new Catch()));
        using var kept = new GrayscaleObservation<int>(new AddRenderObservation<byte, int>(new Catch()), keepDimension: true);

        Assert.Equal("Box(0, 255, (84, 84), uint8)", dropped.ObservationSpace.ToString());
        Assert.Equal("Box(0, 255, (84, 84, 1), uint8)", kept.ObservationSpace.ToString());
        Assert.True(kept.KeepDimension);
    }

    [Fact]
    public void ResetAndStep_OfRenderedCatch_EqualCatchsOwnObservation()
    {
        var options = new CatchOptions { FrameHeight = 30, FrameWidth = 20 };
        using var reference = new Catch(options);
        using var env = new GrayscaleObservation<int>(new AddRenderObservation<byte, int>(new Catch(options)));
        var expected = new byte[600];
        var observation = new byte[600];

        reference.Reset(expected, seed: 9);
        env.Reset(observation, seed: 9);
        Assert.Equal(expected, observation);
        for (var t = 0; t < 5; t++)
        {
            var action = t % 3;
            Assert.Equal(reference.Step([action], expected), env.Step([action], observation));
            Assert.Equal(expected, observation);
        }
    }

    [Fact]
    public void Constructor_NotAnRgbFrame_ThrowsNamingTheSpace()
    {
        var error = Assert.Throws<ArgumentException>(() => new GrayscaleObservation<int>(new Catch()));

        Assert.Contains("(1, 84, 84)", error.Message);
    }

    [Fact]
    public void Resume_ConvertsTheFreshFrame()
    {
        var inner = new PausableCanvasEnv();
        using var env = new GrayscaleObservation<int>(new AddRenderObservation<float, int>(inner));
        var observation = new byte[24];
        env.Reset(observation);

        env.Pause();
        inner.WorldValue = 77;
        env.Resume(observation);

        Assert.Equal(0, observation[0]);
        Assert.All(observation[1..], b => Assert.Equal(77, b));
        Assert.Equal(["Reset", "Pause", "Resume"], inner.Calls);
    }
}
