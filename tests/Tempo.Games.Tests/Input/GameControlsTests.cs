using System.Diagnostics;
using Tempo.Games.Input;

namespace Tempo.Games.Tests.Input;

public sealed class GameControlsTests
{
    private static readonly string[][] _table = [[], ["Right"]];

    [Fact]
    public void The_idle_timeout_is_game_time_so_a_game_at_speed_4_is_paused_four_times_sooner()
    {
        var pause = new CountingPause();
        using var controls = new GameControls(new KeyActions(new NoKeyboard(), _table), pause, TimeSpan.FromSeconds(4), worldSpeed: 4);
        Assert.Equal(TimeSpan.FromSeconds(1), controls.WallIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), controls.IdleTimeout);

        var started = Stopwatch.GetTimestamp();
        controls.Act(1);

        // The watchdog pauses at most 1.25 wall timeouts (1.25 s) after the action; at speed 1 it could not before 4 s,
        // so a pause within 3 s shows the speed was applied, with 1.75 s for a late timer on a loaded machine.
        while (controls.IdlePauseCount == 0 && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(3))
        {
            Thread.Sleep(10);
        }

        Assert.Equal(1, controls.IdlePauseCount);
        Assert.Equal(1, pause.Pauses);
        Assert.True(controls.IsPaused);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void A_world_speed_that_is_not_positive_is_refused(double speed)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GameControls(new KeyActions(new NoKeyboard(), _table), new CountingPause(), TimeSpan.FromSeconds(1), speed));
        Assert.Equal("worldSpeed", error.ParamName);
    }

    private sealed class CountingPause : IGamePause
    {
        public int Pauses { get; private set; }

        public void Pause() => Pauses++;

        public void Resume()
        {
        }
    }

    private sealed class NoKeyboard : IKeyboard
    {
        public int Resolve(string keyName) => keyName.Length;

        public void Send(int keyCode, bool down)
        {
        }

        public void Flush()
        {
        }
    }
}
