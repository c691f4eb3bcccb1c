using Tempo.Core.Envs;
using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Live;
using Tempo.Core.Spaces;
using Tempo.Core.Tests.Timing;

namespace Tempo.Core.Tests.Envs.Live;

[Collection(WallClockTests.Name)]
public sealed class LiveCartPoleTests
{
    private readonly float[] _observation = new float[4];

    private static LiveCartPole Create(TimeSpan? hold = null) =>
        new(new LiveCartPoleOptions { Ticks = new() { TickRateHertz = 200, HoldTime = hold ?? TimeSpan.FromSeconds(30) } });

    [Fact]
    public void Defaults_AreFiftyHertzWithTauOfWorldTimePerTick()
    {
        using var env = new LiveCartPole();

        Assert.Equal(TimeSpan.FromMilliseconds(20), env.TickPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(100), env.HoldTime);
        Assert.Equal(0.02, env.Options.Physics.TimeStep);
        Assert.Equal(2, Assert.IsType<DiscreteSpace>(env.ActionSpace).N);
        Assert.Equal(4, env.ObservationSpace.FlatSize);
    }

    [Fact]
    public void Reset_WithSeed_StartsWhereCartPoleStarts()
    {
        using var env = Create();
        using var reference = new CartPole();
        var expected = new float[4];

        env.Reset(_observation, seed: 5);
        reference.Reset(expected, seed: 5);

        Assert.Equal(expected, _observation);
    }

    /// <summary>No input at all means zero force on every tick, whatever the timing: the fall is CartPole's own zero-force trajectory.</summary>
    [Fact]
    public void World_WithoutActions_ThePoleFallsAlongTheZeroForceTrajectory()
    {
        using var reference = new CartPole();
        var expected = new float[4];
        reference.Reset(expected, seed: 11);
        var ticksToFall = 0;
        StepResult last;
        do
        {
            last = reference.ApplyForce(0.0, expected);
            ticksToFall++;
        }
        while (!last.Terminated && ticksToFall < 10_000);

        using var env = Create();
        env.Reset(_observation, seed: 11);
        Eventually.True(() => env.HasWorldEnded, "the pole falls without input");
        Thread.Sleep(30);

        Assert.True(last.Terminated);
        Assert.Equal(ticksToFall, env.TickCount);
        Assert.Equal(ticksToFall, env.NoInputTickCount);
        var result = env.Step([1], _observation);
        Assert.True(result.Terminated);
        Assert.Equal(ticksToFall, result.Reward);
        Assert.Equal(expected, _observation);
    }

    [Fact]
    public void Step_PushingRight_AcceleratesTheCartRight()
    {
        using var env = Create();
        env.Reset(_observation, seed: 2);
        var startVelocity = _observation[1];

        for (var i = 0; i < 3; i++)
        {
            env.Step([1], _observation);
        }

        var afterRight = _observation[1];
        for (var i = 0; i < 6; i++)
        {
            env.Step([0], _observation);
        }

        // Each push changes ẋ by about ±0.2 m/s per tick; the held action keeps pushing on missed ticks.
        Assert.True(afterRight > startVelocity + 0.4, $"ẋ {startVelocity} → {afterRight}");
        Assert.True(_observation[1] < afterRight - 0.8, $"ẋ {afterRight} → {_observation[1]}");
    }

    [Fact]
    public void Pause_ResumeReturnsTheFrozenStateAndThePhysicsMatchesAReplay()
    {
        using var env = Create();
        env.Reset(_observation, seed: 4);
        Eventually.True(() => env.TickCount >= 5, "a few ticks without input");

        env.Pause();
        var atPause = new float[4];
        var ticks = env.Observe(atPause);
        Thread.Sleep(30);
        env.Resume(_observation);

        Assert.Equal(atPause, _observation);
        using var reference = new CartPole();
        var expected = new float[4];
        reference.Reset(expected, seed: 4);
        for (var i = 0; i < ticks; i++)
        {
            reference.ApplyForce(0.0, expected);
        }

        Assert.Equal(expected, atPause);
    }

    [Fact]
    public void Step_ContractViolations_Throw()
    {
        using var env = Create();
        Assert.Throws<InvalidOperationException>(() => env.Step([0], _observation));
        env.Reset(_observation);

        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([2], _observation));
        Assert.Throws<ArgumentException>(() => env.Step([0], new float[3]));
        Assert.Throws<ArgumentException>(() => env.Reset(new float[5]));
        Assert.Throws<ArgumentException>(() => env.Step([0, 1], _observation));
    }

    [Fact]
    public void Render_DrawsTheWorld()
    {
        using var env = Create();
        env.Reset(_observation, seed: 1);
        var frame = new byte[env.FrameWidth * env.FrameHeight * 3];

        env.Render(frame);

        Assert.Equal((600, 400), (env.FrameWidth, env.FrameHeight));
        Assert.Contains(frame, value => value != 255);
    }

    [Fact]
    public void Options_InvalidPhysicsOrTicks_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LiveCartPole(new LiveCartPoleOptions { Physics = new CartPoleOptions { ForceMagnitude = -1 } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LiveCartPole(new LiveCartPoleOptions { Ticks = new() { TickRateHertz = -50 } }));
        Assert.Throws<ArgumentNullException>(() => new LiveCartPole(null!));
    }
}
