using Tempo.Core.Envs;
using Tempo.Core.Envs.Checking;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;
using Tempo.Tests.Shared;

namespace Tempo.Core.Tests.Wrappers;

/// <summary>Rules every wrapper keeps: it passes the env checker, forwards Dispose, and allocates nothing per step.</summary>
public sealed class WrapperContractTests
{
    public static TheoryData<string> DiscreteWrappers => [.. DiscreteStacks.Keys];

    public static TheoryData<string> ContinuousWrappers => [.. ContinuousStacks.Keys];

    public static TheoryData<string> ImageWrappers => [.. ImageStacks.Keys];

    public static TheoryData<string> PixelWrappers => [.. PixelStacks.Keys];

    private static CatchOptions PixelFrame => new() { FrameHeight = 24, FrameWidth = 20 };

    private static Dictionary<string, Func<CountingEnv, IEnv<float, int>>> DiscreteStacks => new()
    {
        ["TimeLimit"] = e => new TimeLimit<float, int>(e, 3),
        ["RecordEpisodeStatistics"] = e => new RecordEpisodeStatistics<float, int>(e),
        ["FrameSkip"] = e => new FrameSkip<float, int>(e, 2),
        ["FrameStackObservation"] = e => new FrameStackObservation<float, int>(e, 4),
        ["ClipReward"] = e => new ClipReward<float, int>(e, -0.5f, 0.5f),
        ["NormalizeObservation"] = e => new NormalizeObservation<int>(e) { UpdateStatistics = false },
        ["NormalizeReward"] = e => new NormalizeReward<float, int>(e) { UpdateStatistics = false },
        ["ActionHistory"] = e => new ActionHistory<int>(e, 3),
        ["Everything"] = e => new ActionHistory<int>(
            new FrameStackObservation<float, int>(
                new NormalizeReward<float, int>(
                    new ClipReward<float, int>(
                        new RecordEpisodeStatistics<float, int>(new FrameSkip<float, int>(new TimeLimit<float, int>(e, 7), 2)), -1f, 1f))
                { UpdateStatistics = false },
                2),
            2),
    };

    private static Dictionary<string, Func<ContinuousActionEnv, IEnv<float, float>>> ContinuousStacks => new()
    {
        ["ClipAction"] = e => new ClipAction<float>(e),
        ["RescaleAction"] = e => new RescaleAction<float>(e, -1f, 1f),
        ["ActionHistory"] = e => new ActionHistory<float>(e, 2),
        ["Everything"] = e => new ActionHistory<float>(new ClipAction<float>(new RescaleAction<float>(e, -1f, 1f)), 2),
    };

    private static Dictionary<string, Func<ByteImageEnv, IEnv<byte, int>>> ImageStacks => new()
    {
        ["FrameStackObservation"] = e => new FrameStackObservation<byte, int>(e, 4),
        ["FrameSkip"] = e => new FrameSkip<byte, int>(e, 4),
        ["Everything"] = e => new FrameStackObservation<byte, int>(
            new FrameSkip<byte, int>(new RecordEpisodeStatistics<byte, int>(new TimeLimit<byte, int>(e, 9)), 2), 3),
    };

    /// <summary>Pixel preprocessing over a renderable env (Catch on a 24×20 frame): Gymnasium's Atari pipeline and its parts.</summary>
    private static Dictionary<string, Func<Catch, IEnv<byte, int>>> PixelStacks => new()
    {
        ["AddRenderObservation"] = e => new AddRenderObservation<byte, int>(e),
        ["GrayscaleObservation"] = e => new GrayscaleObservation<int>(new AddRenderObservation<byte, int>(e), keepDimension: true),
        ["ResizeObservation"] = e => new ResizeObservation<int>(new AddRenderObservation<byte, int>(e), 12, 10),
        ["Everything"] = e => new FrameStackObservation<byte, int>(
            new GrayscaleObservation<int>(new ResizeObservation<int>(new AddRenderObservation<byte, int>(new RecordEpisodeStatistics<byte, int>(e)), 12, 10)), 4),
    };

    [Theory]
    [MemberData(nameof(DiscreteWrappers))]
    public void Check_DiscreteWrapper_PassesEveryCheck(string name)
    {
        using var env = DiscreteStacks[name](new CountingEnv(episodeLength: 6));

        var report = EnvChecker.Check(env, seed: 3);

        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(Enum.GetValues<EnvCheck>(), report.Passed);
    }

    [Theory]
    [MemberData(nameof(ContinuousWrappers))]
    public void Check_ContinuousWrapper_PassesEveryCheck(string name)
    {
        using var env = ContinuousStacks[name](new ContinuousActionEnv([-2f, 0f], [2f, 1f], recordHistory: false));

        var report = EnvChecker.Check(env, seed: 3);

        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(Enum.GetValues<EnvCheck>(), report.Passed);
    }

    [Theory]
    [MemberData(nameof(ImageWrappers))]
    public void Check_ImageWrapper_PassesEveryCheck(string name)
    {
        using var env = ImageStacks[name](new ByteImageEnv());

        var report = EnvChecker.Check(env, seed: 3);

        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(Enum.GetValues<EnvCheck>(), report.Passed);
    }

    [Theory]
    [MemberData(nameof(PixelWrappers))]
    public void Check_PixelWrapper_PassesEveryCheck(string name)
    {
        using var env = PixelStacks[name](new Catch(PixelFrame));

        var report = EnvChecker.Check(env, seed: 3);

        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(Enum.GetValues<EnvCheck>(), report.Passed);
    }

    [Theory]
    [MemberData(nameof(DiscreteWrappers))]
    public void Dispose_DiscreteWrapper_DisposesInner(string name)
    {
        var inner = new CountingEnv();
        var env = DiscreteStacks[name](inner);

        env.Dispose();
        env.Dispose();

        Assert.True(inner.IsDisposed);
    }

    [Theory]
    [MemberData(nameof(ContinuousWrappers))]
    public void Dispose_ContinuousWrapper_DisposesInner(string name)
    {
        var inner = new ContinuousActionEnv([-1f], [1f]);
        ContinuousStacks[name](inner).Dispose();

        Assert.True(inner.IsDisposed);
    }

    [Theory]
    [MemberData(nameof(ImageWrappers))]
    public void Dispose_ImageWrapper_DisposesInner(string name)
    {
        var inner = new ByteImageEnv();
        ImageStacks[name](inner).Dispose();

        Assert.True(inner.IsDisposed);
    }

    [Theory]
    [MemberData(nameof(PixelWrappers))]
    public void Dispose_PixelWrapper_DisposesInner(string name)
    {
        var inner = new Catch(PixelFrame);
        PixelStacks[name](inner).Dispose();

        // Env's Reset refuses a disposed env.
        Assert.Throws<ObjectDisposedException>(() => inner.Reset(new byte[inner.ObservationSpace.FlatSize]));
    }

    [Theory]
    [MemberData(nameof(DiscreteWrappers))]
    public void Step_DiscreteWrapper_AllocatesNothingInSteadyState(string name)
    {
        using var env = DiscreteStacks[name](new CountingEnv(episodeLength: 6));
        int[] action = [1];
        AssertNoAllocation(env, action);
    }

    [Theory]
    [MemberData(nameof(ContinuousWrappers))]
    public void Step_ContinuousWrapper_AllocatesNothingInSteadyState(string name)
    {
        using var env = ContinuousStacks[name](new ContinuousActionEnv([-2f, 0f], [2f, 1f], recordHistory: false));
        float[] action = [0.5f, -0.25f];
        AssertNoAllocation(env, action);
    }

    [Theory]
    [MemberData(nameof(ImageWrappers))]
    public void Step_ImageWrapper_AllocatesNothingInSteadyState(string name)
    {
        using var env = ImageStacks[name](new ByteImageEnv());
        int[] action = [1];
        AssertNoAllocation(env, action);
    }

    [Theory]
    [MemberData(nameof(PixelWrappers))]
    public void Step_PixelWrapper_AllocatesNothingInSteadyState(string name)
    {
        using var env = PixelStacks[name](new Catch(PixelFrame));
        int[] action = [2];
        AssertNoAllocation(env, action);
    }

    [Fact]
    public void Step_NormalizersUpdating_AllocateNothingInSteadyState()
    {
        using var env = new NormalizeReward<float, int>(new NormalizeObservation<int>(new CountingEnv(episodeLength: 6)));
        AssertNoAllocation(env, [1]);
    }

    private static void AssertNoAllocation<TObservation, TAction>(IEnv<TObservation, TAction> env, TAction[] action)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var observation = new TObservation[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: 1);
        Run(env, action, observation, 500);

        Assert.Equal(0, Allocations.OnThisThread(() => Run(env, action, observation, 2000), warmUp: 0, repetitions: 1));
    }

    private static void Run<TObservation, TAction>(IEnv<TObservation, TAction> env, TAction[] action, TObservation[] observation, int steps)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        for (var t = 0; t < steps; t++)
        {
            if (env.Step(action, observation).IsDone)
            {
                env.Reset(observation);
            }
        }
    }
}
