using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Live;
using Tempo.Core.Tests.Timing;

namespace Tempo.Core.Tests.Envs.Live;

[Collection(WallClockTests.Name)]
public sealed class LivePendulumTests
{
    private readonly float[] _observation = new float[3];

    private static LivePendulum Create() =>
        new(new LivePendulumOptions { Ticks = new() { TickRateHertz = 200, HoldTime = TimeSpan.FromSeconds(30) } });

    [Fact]
    public void Defaults_AreTwentyHertz()
    {
        using var env = new LivePendulum();

        Assert.Equal(TimeSpan.FromMilliseconds(50), env.TickPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(250), env.HoldTime);
    }

    [Fact]
    public void Reset_WithSeed_StartsWherePendulumStarts()
    {
        using var env = Create();
        using var reference = new Pendulum();
        var expected = new float[3];

        env.Reset(_observation, seed: 8);
        reference.Reset(expected, seed: 8);

        Assert.Equal(expected, _observation);
    }

    [Fact]
    public void World_WithoutActions_SwingsAlongTheZeroTorqueTrajectory()
    {
        using var env = Create();
        env.Reset(_observation, seed: 3);
        Eventually.True(() => env.TickCount >= 10, "the world ticks without actions");

        env.Pause();
        var atPause = new float[3];
        var ticks = env.Observe(atPause);
        Thread.Sleep(30);

        Assert.Equal(ticks, env.TickCount);
        Assert.Equal(ticks, env.NoInputTickCount);
        using var reference = new Pendulum();
        var expected = new float[3];
        reference.Reset(expected, seed: 3);
        for (var i = 0; i < ticks; i++)
        {
            reference.ApplyTorque(0f, expected);
        }

        Assert.Equal(expected, atPause);
        env.Resume(_observation);
        Assert.Equal(expected, _observation);
    }

    [Fact]
    public void Step_RewardIsTheSumOfNegativeCostsAndTheWorldNeverEnds()
    {
        using var env = Create();
        env.Reset(_observation, seed: 1);

        for (var i = 0; i < 10; i++)
        {
            var result = env.Step([1.5f], _observation);

            // Each tick costs at most π² + 0.1·8² + 0.001·2² ≈ 16.27; at least one tick per Step.
            Assert.InRange(result.Reward, -16.28f * 1000, 0f);
            Assert.False(result.IsDone);
        }

        Assert.False(env.HasWorldEnded);
    }

    [Fact]
    public void Step_NaNTorque_Throws()
    {
        using var env = Create();
        env.Reset(_observation);

        Assert.Throws<ArgumentException>(() => env.Step([float.NaN], _observation));
    }

    [Fact]
    public void Render_DrawsTheWorld()
    {
        using var env = Create();
        env.Reset(_observation, seed: 1);
        var frame = new byte[env.FrameWidth * env.FrameHeight * 3];

        env.Render(frame);

        Assert.Contains(frame, value => value != 255);
    }
}
