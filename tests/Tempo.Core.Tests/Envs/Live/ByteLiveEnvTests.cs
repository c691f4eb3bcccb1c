using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Spaces;
using Tempo.Core.Tests.Timing;

namespace Tempo.Core.Tests.Envs.Live;

/// <summary>A live env with byte observations (a tiny screen), and split stepping on a live env.</summary>
[Collection(WallClockTests.Name)]
public sealed class ByteLiveEnvTests
{
    private readonly byte[] _frame = new byte[ScreenEnv.FrameSize];

    [Fact]
    public void StepAndReset_WriteFramesOfBytes()
    {
        using var env = new ScreenEnv();
        env.Reset(_frame);
        Assert.Equal(new byte[ScreenEnv.FrameSize], _frame);

        var result = env.Step([3], _frame);

        Assert.Equal(3, _frame[^1]);
        Assert.True(result.Reward >= 1);
        Assert.Contains((byte)255, _frame[..^1]);
    }

    [Fact]
    public void Pause_FreezesTheScreenExactly()
    {
        using var env = new ScreenEnv();
        env.Reset(_frame);
        env.Step([1], _frame);
        env.Pause();
        var ticks = env.TickCount;
        var paused = env.Observe(new byte[ScreenEnv.FrameSize]);
        var before = _frame.ToArray();

        Thread.Sleep(10 * env.TickPeriod);

        Assert.Equal(ticks, env.TickCount);
        Assert.Equal(ticks, paused);
        env.Resume(_frame);
        Assert.Equal(before, _frame);
    }

    [Fact]
    public void SubmitThenWait_IsOneStep()
    {
        using var env = new ScreenEnv();
        env.Reset(_frame);

        Assert.True(env.CanSplitStep);
        for (var action = 0; action < 4; action++)
        {
            var ticksBefore = env.TickCount;
            env.Submit([action]);
            var result = env.Wait(_frame);

            Assert.Equal(action, _frame[^1]);
            Assert.True(env.TickCount > ticksBefore);
            Assert.True(result.Reward >= 1);
        }
    }

    [Fact]
    public void SplitStepping_OutOfOrder_Throws()
    {
        using var env = new ScreenEnv();
        Assert.Throws<InvalidOperationException>(() => env.Submit([0]));
        env.Reset(_frame);

        Assert.Throws<InvalidOperationException>(() => env.Wait(_frame));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Submit([9]));
        env.Submit([1]);
        Assert.Contains("Submit called twice", Assert.Throws<InvalidOperationException>(() => env.Submit([1])).Message);
        Assert.Contains("between Submit and Wait", Assert.Throws<InvalidOperationException>(env.Pause).Message);
        env.Wait(_frame);

        env.Pause();
        Assert.Throws<InvalidOperationException>(() => env.Submit([1]));
    }

    [Fact]
    public void Wait_WorldEndedAfterTheSubmit_ReturnsTheEndAndRefusesFurtherSteps()
    {
        using var env = new ScreenEnv(endAfterTicks: 3);
        env.Reset(_frame);
        StepResult result;
        do
        {
            env.Submit([2]);
            result = env.Wait(_frame);
        }
        while (!result.IsDone);

        Assert.True(result.Terminated);
        Assert.True(env.HasWorldEnded);
        Assert.Throws<InvalidOperationException>(() => env.Submit([2]));
    }

    /// <summary>A 4×4 screen: the pixel of the current tick (mod 15) is lit, the last byte shows the input (0 for none). Reward 1 per tick.</summary>
    private sealed class ScreenEnv(int? endAfterTicks = null)
        : LiveEnv<byte, int>(new BoxSpace<byte>(0, 255, FrameSize), new DiscreteSpace(4), new LiveTickOptions { TickRateHertz = 200 }, null)
    {
        public const int FrameSize = 16;

        private int _ticks;

        protected override void ResetWorld(Span<byte> observation, int? seed)
        {
            _ticks = 0;
            observation.Clear();
        }

        protected override StepResult TickWorld(ReadOnlySpan<int> action, Span<byte> observation)
        {
            _ticks++;
            observation.Clear();
            observation[_ticks % (FrameSize - 1)] = 255;
            observation[^1] = (byte)(action.IsEmpty ? 0 : action[0]);
            return new StepResult(1f, endAfterTicks is { } end && _ticks >= end, false);
        }
    }
}
