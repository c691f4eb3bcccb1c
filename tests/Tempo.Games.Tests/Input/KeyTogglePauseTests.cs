using Tempo.Games.Imaging;
using Tempo.Games.Input;

namespace Tempo.Games.Tests.Input;

/// <summary>
/// <see cref="KeyTogglePause"/> against a simulated game that, like SuperTux, reads its keys once per frame and toggles
/// its menu on the press edge only, so a key pressed and released between two of its frames is never seen.
/// </summary>
public sealed class KeyTogglePauseTests
{
    [Fact]
    public void A_game_that_reads_keys_once_per_frame_still_sees_the_toggle_because_the_key_is_held_until_it_answers()
    {
        // A frame every 3 captures: the toggle's key events all happen between two captures, so a tap would be lost.
        var game = new SimulatedGame(capturesPerFrame: 3);
        var pause = new KeyTogglePause(game, game, "Escape") { Timeout = TimeSpan.FromSeconds(5) };

        pause.Pause();
        Assert.True(game.MenuOpen);
        Assert.False(game.KeyDown);

        pause.Resume();
        Assert.False(game.MenuOpen);
        Assert.False(game.KeyDown);
        Assert.Equal(2, game.Toggles);
    }

    [Fact]
    public void A_picture_that_only_pulses_does_not_count_as_the_game_answering()
    {
        // The menu's highlight pulses by 1 gray level, well under the 12-level default, while the game ignores the key.
        var game = new SimulatedGame(capturesPerFrame: 1) { AnswersKey = false };
        var pause = new KeyTogglePause(game, game, "Escape") { Timeout = TimeSpan.FromMilliseconds(200) };

        var error = Assert.Throws<InvalidOperationException>(pause.Pause);
        Assert.Contains("'Escape' did not change the game's picture", error.Message, StringComparison.Ordinal);
        Assert.False(game.KeyDown);
        Assert.Equal(0, game.Toggles);
    }

    /// <summary>A 64×48 window, dark while playing and bright with the menu open, whose every frame pulses by one level.</summary>
    private sealed class SimulatedGame(int capturesPerFrame) : IFrameSource, IKeyboard
    {
        private readonly byte[] _pixels = new byte[64 * 48 * 4];
        private int _captures;
        private bool _keyWasDown;
        private bool _keyDown;

        public bool AnswersKey { get; init; } = true;

        public bool MenuOpen { get; private set; }

        public bool KeyDown => Volatile.Read(ref _keyDown);

        public int Toggles { get; private set; }

        public int Width => 64;

        public int Height => 48;

        public BgraFrame Capture()
        {
            if (++_captures % capturesPerFrame == 0)
            {
                var down = KeyDown;
                if (down && !_keyWasDown && AnswersKey)
                {
                    MenuOpen = !MenuOpen;
                    Toggles++;
                }

                _keyWasDown = down;
            }

            Array.Fill(_pixels, (byte)((MenuOpen ? 200 : 50) + (_captures % 2)));
            return new BgraFrame(_pixels, Width, Height, Width * 4);
        }

        public int Resolve(string keyName) => 9;

        public void Send(int keyCode, bool down) => Volatile.Write(ref _keyDown, down);

        public void Flush()
        {
        }

        public void Dispose()
        {
        }
    }
}
