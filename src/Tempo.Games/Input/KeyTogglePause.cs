using System.Diagnostics;
using Tempo.Games.Imaging;

namespace Tempo.Games.Input;

/// <summary>
/// A pause toggled by one key (SuperTux: Escape opens and closes the pause menu), confirmed on screen: the key is held
/// until the window's picture changes by at least <see cref="MinChange"/> (the menu appears or goes), then released;
/// after a pause it waits until the picture stands still, so the paused picture is what the next resume compares with.
/// </summary>
/// <remarks>
/// <para>
/// Held, not tapped: games that read keys as "down now, up last frame" (SuperTux does) lose a tap whose press and release
/// both arrive within one of their frames, which a loaded machine makes likely. A key held until the game has visibly
/// answered cannot be lost, and holding does not toggle twice because the toggle happens on the press edge.
/// </para>
/// <para>The picture is compared as a 32×24 gray thumbnail, by the mean absolute change per thumbnail pixel.</para>
/// </remarks>
public sealed class KeyTogglePause : IGamePause
{
    private const int ThumbnailWidth = 32;
    private const int ThumbnailHeight = 24;

    private readonly IKeyboard _keyboard;
    private readonly IFrameSource _frames;
    private readonly int _keyCode;
    private readonly string _key;
    private readonly GrayAreaResizer _thumbnails;
    private readonly byte[] _before = new byte[ThumbnailWidth * ThumbnailHeight];
    private readonly byte[] _now = new byte[ThumbnailWidth * ThumbnailHeight];

    /// <summary>Creates the pause.</summary>
    /// <param name="keyboard">The game's keyboard.</param>
    /// <param name="frames">The game's window, to confirm the toggle.</param>
    /// <param name="key">The toggle key.</param>
    public KeyTogglePause(IKeyboard keyboard, IFrameSource frames, string key)
    {
        _keyboard = keyboard ?? throw new ArgumentNullException(nameof(keyboard));
        _frames = frames ?? throw new ArgumentNullException(nameof(frames));
        _key = key;
        _keyCode = keyboard.Resolve(key);
        _thumbnails = new GrayAreaResizer(frames.Width, frames.Height, ThumbnailWidth, ThumbnailHeight);
    }

    /// <summary>How long to wait for the picture to change before the toggle counts as failed.</summary>
    /// <remarks>
    /// The game needs about three of its frames to see the key and draw the menu: 50 ms at SuperTux's 64 frames per
    /// second. The default allows a game that gets 1/100 of its CPU share (a 2-core machine under load 40 gives a
    /// process about 1/20 of a core, and Xvfb must run too) rather than calling a slow game unresponsive: a failed
    /// toggle leaves the menu's state unknown, while a game that truly hangs is reported by the health checks.
    /// </remarks>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The default <see cref="Timeout"/>, 5 s: three 64 Hz frames (47 ms) at a hundredth of the game's normal CPU share, rounded up.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The mean change per thumbnail pixel, in gray levels (0–255), that counts as the game answering the key.</summary>
    /// <remarks>
    /// The default, 12, sits between what SuperTux's pause menu does and what play does, measured at 640×480 under Xvfb:
    /// the menu opening or closing changes the thumbnail by about 42 levels per pixel; Tux walking with the camera
    /// scrolling by at most 5; the menu's pulsing highlight by 0.5. A game whose pause shows less must set its own.
    /// </remarks>
    public double MinChange { get; init; } = 12;

    /// <summary>After a pause, the longest wait for the picture to stand still (a menu's opening animation ending).</summary>
    public TimeSpan MaxSettle { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>After a resume, how long to wait so the game has run a few frames with the menu gone.</summary>
    public TimeSpan ResumeSettle { get; init; } = TimeSpan.FromMilliseconds(60);

    /// <inheritdoc/>
    public void Pause()
    {
        Toggle("pause");
        SettleStill();
    }

    /// <inheritdoc/>
    public void Resume()
    {
        Toggle("resume");
        Thread.Sleep(ResumeSettle);
    }

    private void Toggle(string what)
    {
        _thumbnails.Convert(_frames.Capture(), _before);
        var threshold = (long)(MinChange * _now.Length);
        _keyboard.Send(_keyCode, true);
        _keyboard.Flush();
        try
        {
            var started = Stopwatch.GetTimestamp();
            while (Difference(_before) < threshold)
            {
                if (Stopwatch.GetElapsedTime(started) > Timeout)
                {
                    throw new InvalidOperationException($"the {what} key '{_key}' did not change the game's picture within {Timeout.TotalSeconds} s");
                }

                Thread.Sleep(5);
            }

        }
        finally
        {
            _keyboard.Send(_keyCode, false);
            _keyboard.Flush();
        }
    }

    // Still: two captures a few game frames apart differ by less than a quarter of the toggle's change, so a pulsing
    // highlight counts as still and a menu still sliding in does not.
    private void SettleStill()
    {
        var still = (long)(MinChange / 4 * _now.Length);
        var started = Stopwatch.GetTimestamp();
        _thumbnails.Convert(_frames.Capture(), _before);
        while (Stopwatch.GetElapsedTime(started) < MaxSettle)
        {
            Thread.Sleep(50);
            if (Difference(_before) < still)
            {
                return;
            }

            _now.CopyTo(_before, 0);
        }
    }

    // Captures the window into _now and returns its summed absolute difference from reference.
    private long Difference(byte[] reference)
    {
        _thumbnails.Convert(_frames.Capture(), _now);
        long diff = 0;
        for (var i = 0; i < _now.Length; i++)
        {
            diff += Math.Abs(_now[i] - reference[i]);
        }

        return diff;
    }
}
