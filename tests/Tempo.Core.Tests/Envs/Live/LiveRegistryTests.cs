using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Tests.Timing;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Envs.Live;

[Collection(WallClockTests.Name)]
public sealed class LiveRegistryTests
{
    [Theory]
    [InlineData("LiveCartPole-v1", 500)]
    [InlineData("LivePendulum-v1", 200)]
    public void CreateDefault_RegistersTheLiveEnvsWithTheirTimeLimits(string id, int maxEpisodeSteps)
    {
        var registry = EnvRegistry.CreateDefault();

        var spec = registry.GetSpec(id);

        Assert.Contains(id, registry.Ids);
        Assert.Equal(maxEpisodeSteps, spec.MaxEpisodeSteps);
    }

    [Fact]
    public void Make_LiveCartPole_IsATimeLimitOverAnActionGapRecorderOverALiveEnvThatCanPause()
    {
        using var env = EnvRegistry.CreateDefault().Make<float, int>(
            "LiveCartPole-v1", new LiveCartPoleOptions { Ticks = new() { TickRateHertz = 200 } });

        var limit = Assert.IsType<TimeLimit<float, int>>(env);
        Assert.Equal(500, limit.MaxEpisodeSteps);
        var gaps = Assert.IsType<RecordActionGaps<float, int>>(limit.Inner);
        var live = Assert.IsType<LiveCartPole>(gaps.Inner);
        Assert.Equal(TimeSpan.FromMilliseconds(5), live.TickPeriod);
        Assert.True(env.TryFind<ILiveEnv>(out var found));
        Assert.Same(live, found);
        Assert.True(env.TryFind<IActionGapSource>(out var gapSource));
        Assert.Same(gaps, gapSource);
        Assert.True(env.TryFind<IPausable<float>>(out var pausable));
        Assert.True(pausable.CanPause);
    }

    [Fact]
    public void Make_LivePendulum_StepsThroughTheTimeLimit()
    {
        using var env = EnvRegistry.CreateDefault().Make<float, float>(
            "LivePendulum-v1", new LivePendulumOptions { Ticks = new() { TickRateHertz = 200 } });
        var observation = new float[3];

        env.Reset(observation, seed: 0);
        var result = env.Step([0.5f], observation);

        Assert.False(result.IsDone);
        Assert.IsType<LivePendulum>(env.Unwrapped());
    }

    [Fact]
    public void Make_WrongOptionsType_Throws()
    {
        Assert.Throws<ArgumentException>(() => EnvRegistry.CreateDefault().Make("LiveCartPole-v1", new LivePendulumOptions()));
    }
}
