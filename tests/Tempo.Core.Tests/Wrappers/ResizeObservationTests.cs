using Tempo.Core.Envs;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Spaces;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class ResizeObservationTests
{
    [Fact]
    public void Reset_HalvingAGreyFrame_AveragesEach2x2Block()
    {
        byte[] frame =
        [
            10, 20, 30, 40,
            50, 60, 70, 80,
            1, 3, 5, 7,
            9, 11, 200, 0,
        ];
        using var env = new ResizeObservation<int>(new FixedFrameEnv(frame, 4, 4), 2, 2);
        var observation = new byte[4];

        env.Reset(observation);

        // (10+20+50+60)/4 = 35, (30+40+70+80)/4 = 55, (1+3+9+11)/4 = 6, (5+7+200+0)/4 = 53.
        Assert.Equal([35, 55, 6, 53], observation);
        Assert.Equal([2, 2], env.ObservationSpace.Shape);
    }

    [Fact]
    public void Reset_ThreeToTwo_WeighsPixelsByTheirCoveredFraction()
    {
        // Output pixel 0 covers source [0, 1.5): weights 2/3, 1/3; pixel 1 covers [1.5, 3): 1/3, 2/3.
        byte[] frame = [0, 90, 180];
        using var env = new ResizeObservation<int>(new FixedFrameEnv(frame, 1, 3), 1, 2);
        var observation = new byte[2];

        env.Reset(observation);

        // 90/3 = 30; 90/3 + 180·2/3 = 150.
        Assert.Equal([30, 150], observation);
    }

    [Fact]
    public void Reset_RgbFrame_ResizesEveryChannelAndKeepsTheChannelAxis()
    {
        byte[] frame =
        [
            255, 0, 0,   255, 0, 0,   0, 0, 9,   0, 0, 9,
            0, 100, 0,   0, 100, 0,   0, 0, 9,   0, 0, 9,
        ];
        using var env = new ResizeObservation<int>(new FixedFrameEnv(frame, 2, 4, 3), 1, 2);
        var observation = new byte[6];

        env.Reset(observation);

        // Left block: R = 510/4 = 127.5 → 128 (ties to even), G = 200/4 = 50, B = 0; right block: B = 9.
        Assert.Equal([128, 50, 0, 0, 0, 9], observation);
        Assert.Equal([1, 2, 3], env.ObservationSpace.Shape);
    }

    [Fact]
    public void Reset_ExactHalf_RoundsToEven()
    {
        // (10 + 11) / 2 = 10.5 → 10, (11 + 12) / 2 = 11.5 → 12.
        using var env = new ResizeObservation<int>(new FixedFrameEnv([10, 11, 11, 12], 1, 4), 1, 2);
        var observation = new byte[2];

        env.Reset(observation);

        Assert.Equal([10, 12], observation);
    }

    [Fact]
    public void Reset_Enlarging_AveragesThePartsOfSourcePixelsEachOutputPixelCovers()
    {
        // 2 → 3: output pixels cover [0, 2/3), [2/3, 4/3), [4/3, 2): 0, (0·1/3 + 60·1/3)/(2/3) = 30, 60.
        using var env = new ResizeObservation<int>(new FixedFrameEnv([0, 60], 1, 2), 1, 3);
        var observation = new byte[3];

        env.Reset(observation);

        Assert.Equal([0, 30, 60], observation);
    }

    [Fact]
    public void Step_CatchFrame84To42_IsTheBlockMeanOfEveryPixel()
    {
        using var env = new ResizeObservation<int>(new GrayscaleObservation<int>(new AddRenderObservation<byte, int>(new Catch())), 42, 42);
        var full = new byte[84 * 84];
        var observation = new byte[42 * 42];
        env.Reset(observation, seed: 3);
        env.Step([0], observation);

        var reference = new Catch();
        reference.Reset(full, seed: 3);
        reference.Step([0], full);
        for (var y = 0; y < 42; y++)
        {
            for (var x = 0; x < 42; x++)
            {
                var sum = full[(2 * y * 84) + (2 * x)] + full[(2 * y * 84) + (2 * x) + 1] + full[(((2 * y) + 1) * 84) + (2 * x)] + full[(((2 * y) + 1) * 84) + (2 * x) + 1];
                Assert.Equal(Math.Round(sum / 4.0, MidpointRounding.ToEven), observation[(y * 42) + x]);
            }
        }
    }

    [Fact]
    public void Constructor_BadShapesOrSizes_Throw()
    {
        Assert.Throws<ArgumentException>(() => new ResizeObservation<int>(new FixedFrameEnv(new byte[24], 2, 3, 2, 2), 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResizeObservation<int>(new FixedFrameEnv(new byte[4], 2, 2), 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResizeObservation<int>(new FixedFrameEnv(new byte[4], 2, 2), 1, -1));
    }

    [Fact]
    public void Resume_ResizesTheFreshFrame()
    {
        var inner = new PausableCanvasEnv();
        using var env = new ResizeObservation<int>(new AddRenderObservation<float, int>(inner), 2, 3);
        var observation = new byte[2 * 3 * 3];
        env.Reset(observation);

        env.Pause();
        inner.WorldValue = 100;
        env.Resume(observation);

        // The top-left 2×2 block holds the one black pixel: 3·100/4 = 75 in every channel.
        Assert.Equal([75, 75, 75], observation[..3]);
        Assert.All(observation[3..], b => Assert.Equal(100, b));
        Assert.Equal(["Reset", "Pause", "Resume"], inner.Calls);
    }

    /// <summary>An env that always observes the same frame; one step per episode.</summary>
    private sealed class FixedFrameEnv(byte[] frame, params int[] shape) : Env<byte, int>(new BoxSpace<byte>(0, 255, shape), new DiscreteSpace(2))
    {
        protected override void ResetCore(Span<byte> observation) => frame.CopyTo(observation);

        protected override StepResult StepCore(ReadOnlySpan<int> action, Span<byte> observation)
        {
            frame.CopyTo(observation);
            return new StepResult(0f, true, false);
        }
    }
}
