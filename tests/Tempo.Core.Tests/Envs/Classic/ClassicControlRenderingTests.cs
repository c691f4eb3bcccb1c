using Tempo.Core.Envs;
using Tempo.Core.Envs.Classic;
using Tempo.Core.Rendering;
using Tempo.Tests.Shared;

namespace Tempo.Core.Tests.Envs.Classic;

/// <summary>The drawings of the classic envs; pixel positions follow Gymnasium's geometry (y up, then flipped).</summary>
public sealed class ClassicControlRenderingTests
{
    private static Rgb White => new(255, 255, 255);
    private static Rgb Black => new(0, 0, 0);
    private static Rgb PoleColor => new(202, 152, 101);
    private static Rgb AxleColor => new(129, 132, 203);
    private static Rgb LinkColor => new(0, 204, 204);
    private static Rgb JointColor => new(204, 204, 0);
    private static Rgb RodColor => new(204, 77, 77);
    private static Rgb FlagColor => new(204, 204, 0);

    public static TheoryData<string, int, int> FrameSizes => new()
    {
        { nameof(CartPole), 600, 400 },
        { nameof(Acrobot), 500, 500 },
        { nameof(MountainCar), 600, 400 },
        { nameof(MountainCarContinuous), 600, 400 },
        { nameof(Pendulum), 500, 500 },
    };

    [Theory]
    [MemberData(nameof(FrameSizes))]
    public void FrameSize_MatchesGymnasium(string name, int width, int height)
    {
        using var env = Create(name);
        var renderable = (IRenderable)env;
        Assert.Equal(width, renderable.FrameWidth);
        Assert.Equal(height, renderable.FrameHeight);
    }

    [Theory]
    [MemberData(nameof(FrameSizes))]
    public void Render_BeforeReset_Throws(string name, int width, int height)
    {
        using var env = Create(name);
        var error = Assert.Throws<InvalidOperationException>(() => ((IRenderable)env).Render(new byte[width * height * 3]));
        Assert.Contains("Reset", error.Message);
    }

    [Theory]
    [MemberData(nameof(FrameSizes))]
    public void Render_WrongBufferLength_Throws(string name, int width, int height)
    {
        using var env = Create(name);
        ResetAt(env, ZeroState(env));
        Assert.Throws<ArgumentException>(() => ((IRenderable)env).Render(new byte[(width * height * 3) - 3]));
    }

    [Theory]
    [MemberData(nameof(FrameSizes))]
    public void Render_DifferentStates_DrawDifferentFrames(string name, int width, int height)
    {
        using var env = Create(name);
        var renderable = (IRenderable)env;
        var first = new byte[width * height * 3];
        var second = new byte[width * height * 3];
        ResetAt(env, ZeroState(env));
        renderable.Render(first);
        var moved = ZeroState(env);
        moved[0] = 0.5;
        ((IPhysicalState)env).SetState(moved, new float[((IEnv)env).ObservationSpace.FlatSize]);
        renderable.Render(second);

        Assert.NotEqual(first, second);
        Assert.Contains(first.Chunk(3), pixel => pixel is not [255, 255, 255]);
    }

    [Theory]
    [MemberData(nameof(FrameSizes))]
    public void Render_InSteadyState_AllocatesNothing(string name, int width, int height)
    {
        using var env = Create(name);
        var frame = new byte[width * height * 3];
        ResetAt(env, ZeroState(env));
        var renderable = (IRenderable)env;

        Assert.Equal(0, Allocations.OnThisThread(() => renderable.Render(frame), warmUp: 1, repetitions: 5));
    }

    [Fact]
    public void CartPole_Upright_DrawsCartPoleAxleAndTrack()
    {
        using var env = new CartPole();
        var frame = RenderAt(env, [0, 0, 0, 0]);

        Assert.Equal(Black, Pixel(frame, 600, 300, 299));      // cart centre (300, 100) with y up
        Assert.Equal(Black, Pixel(frame, 600, 276, 286));      // near a cart corner
        Assert.Equal(PoleColor, Pixel(frame, 600, 300, 219));  // pole, 72.5 px above the axle
        Assert.Equal(PoleColor, Pixel(frame, 600, 300, 175));  // pole near its top (y = 227.5)
        Assert.Equal(White, Pixel(frame, 600, 300, 170));      // above the pole
        Assert.Equal(AxleColor, Pixel(frame, 600, 300, 292));  // axle at (300, 107)
        Assert.Equal(Black, Pixel(frame, 600, 10, 299));       // track line at y = 100
        Assert.Equal(White, Pixel(frame, 600, 20, 20));
    }

    [Fact]
    public void CartPole_MovedAndTilted_MovesTheCartAndLeansThePole()
    {
        using var env = new CartPole();
        var moved = RenderAt(env, [1.0, 0, 0, 0]);
        Assert.Equal(Black, Pixel(moved, 600, 425, 299));      // the cart centre moved by 1 m · 125 px/m
        Assert.Equal(PoleColor, Pixel(moved, 600, 425, 219));
        Assert.Equal(White, Pixel(moved, 600, 300, 219));

        var tilted = RenderAt(env, [0, 0, 0.2, 0]);
        Assert.Equal(White, Pixel(tilted, 600, 300, 219));
        var offset = (int)Math.Round(72.5 * Math.Sin(0.2));    // θ > 0 leans the pole to the right
        Assert.Equal(PoleColor, Pixel(tilted, 600, 300 + offset, 400 - 1 - (int)Math.Round(107.5 + (72.5 * Math.Cos(0.2)))));
    }

    [Fact]
    public void Acrobot_Hanging_DrawsBothLinksDownwards()
    {
        using var env = new Acrobot();
        var frame = RenderAt(env, [0, 0, 0, 0]);

        Assert.Equal(JointColor, Pixel(frame, 500, 250, 249));  // pivot joint
        Assert.Equal(LinkColor, Pixel(frame, 500, 250, 309));   // first link, 60 px below the pivot
        Assert.Equal(LinkColor, Pixel(frame, 500, 250, 419));   // second link
        Assert.Equal(White, Pixel(frame, 500, 250, 189));       // nothing above the pivot
        Assert.Equal(Black, Pixel(frame, 500, 100, 135));       // goal line, 1 m above the pivot
    }

    [Fact]
    public void Acrobot_Upright_DrawsTheFirstLinkUpwards()
    {
        using var env = new Acrobot();
        var frame = RenderAt(env, [Math.PI, 0, 0, 0]);

        Assert.Equal(LinkColor, Pixel(frame, 500, 250, 189));
        Assert.Equal(White, Pixel(frame, 500, 250, 309));
    }

    [Fact]
    public void Pendulum_UprightAndHanging_PointTheRod()
    {
        using var env = new Pendulum();
        var upright = RenderAt(env, [0, 0]);
        Assert.Equal(RodColor, Pixel(upright, 500, 250, 189));
        Assert.Equal(White, Pixel(upright, 500, 250, 309));
        Assert.Equal(Black, Pixel(upright, 500, 250, 249));     // axle

        var hanging = RenderAt(env, [Math.PI, 0]);
        Assert.Equal(RodColor, Pixel(hanging, 500, 250, 309));
        Assert.Equal(White, Pixel(hanging, 500, 250, 189));
    }

    [Fact]
    public void Pendulum_AfterATorque_DrawsTheTorqueArrow()
    {
        using var env = new Pendulum();
        var frame = RenderAt(env, [Math.PI, 0]);
        Assert.Equal(White, Pixel(frame, 500, 250, 204));

        env.Step([2f], new float[3]);
        ((IRenderable)env).Render(frame);

        // The arc of radius 0.4 · (scale · |u| / 2) ≈ 45 px starts straight above the pivot.
        Assert.Equal(Black, Pixel(frame, 500, 250, 204));
    }

    [Theory]
    [InlineData(nameof(MountainCar), 566, 22)]
    [InlineData(nameof(MountainCarContinuous), 550, 25)]
    public void MountainCar_DrawsCarFlagAndValley(string name, int flagX, int flagRow)
    {
        using var env = Create(name);
        var frame = RenderAt(env, [-0.5, 0]);

        Assert.Equal(Black, Pixel(frame, 600, 233, 345));        // car body, 10 px above its anchor on the valley
        Assert.Equal(FlagColor, Pixel(frame, 600, flagX + 4, flagRow));
        Assert.Equal(White, Pixel(frame, 600, 50, 50));
        Assert.Equal(Black, Pixel(frame, 600, 0, 149));           // valley at x = −1.2: (sin(−3.6)·0.45 + 0.55) · 333.3 ≈ 249.7 up

        var moved = RenderAt(env, [0.3, 0]);
        Assert.Equal(White, Pixel(moved, 600, 233, 345));
    }

    private static IDisposable Create(string name) => name switch
    {
        nameof(CartPole) => new CartPole(),
        nameof(Acrobot) => new Acrobot(),
        nameof(MountainCar) => new MountainCar(),
        nameof(MountainCarContinuous) => new MountainCarContinuous(),
        nameof(Pendulum) => new Pendulum(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static double[] ZeroState(object env) => new double[((IPhysicalState)env).StateLength];

    private static void ResetAt(object env, double[] state)
    {
        var observation = new float[((IEnv)env).ObservationSpace.FlatSize];
        switch (env)
        {
            case IEnv<float, int> discrete:
                discrete.Reset(observation, 0);
                break;
            case IEnv<float, float> continuous:
                continuous.Reset(observation, 0);
                break;
        }

        ((IPhysicalState)env).SetState(state, observation);
    }

    private static byte[] RenderAt(object env, double[] state)
    {
        ResetAt(env, state);
        var renderable = (IRenderable)env;
        var frame = new byte[renderable.FrameWidth * renderable.FrameHeight * 3];
        renderable.Render(frame);
        return frame;
    }

    /// <summary>The pixel at column <paramref name="x"/> of frame row <paramref name="row"/> (top row first).</summary>
    private static Rgb Pixel(byte[] frame, int width, int x, int row)
    {
        var offset = ((row * width) + x) * 3;
        return new Rgb(frame[offset], frame[offset + 1], frame[offset + 2]);
    }
}
