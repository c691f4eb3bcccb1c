using Tempo.Games.Display;
using Tempo.Games.Native;
using Tempo.Games.X11;
using Tempo.Tests.Shared;

namespace Tempo.Games.Tests.X11;

/// <summary>
/// Capture from Xvfb's shared-memory framebuffer against two independent references: the pixels the test drew into a
/// plain window (XPutImage), and what the server itself answers to XShmGetImage for the same window.
/// </summary>
public sealed class FramebufferCaptureTests
{
    private const int ScreenWidth = 640;
    private const int ScreenHeight = 480;
    private const int Width = 200;
    private const int Height = 150;

    [SkippableFact]
    public void A_drawn_window_reads_as_drawn_and_byte_for_byte_as_XShmGetImage_reads_it()
    {
        using var xvfb = StartXvfb();
        using var framebuffer = xvfb.OpenFramebuffer();
        using var display = X11Display.Open(xvfb.DisplayName);
        using var window = new DrawnWindow(display, 50, 40, Width, Height);
        var drawn = Pattern(seed: 1);
        window.Draw(drawn);

        using var fromFramebuffer = new FramebufferCapture(display, window.Id, framebuffer);
        using var fromRequest = new ShmCapture(display, window.Id);
        Assert.Equal((50, 40), fromFramebuffer.ScreenPosition);
        Assert.Equal((Width, Height), (fromFramebuffer.Width, fromFramebuffer.Height));

        var copied = Bytes(fromFramebuffer);
        Assert.Equal(Bgr(drawn), Bgr(copied));
        Assert.Equal(Bytes(fromRequest), copied);

        // A new picture is read without any request from the capture: the copy follows the screen.
        var redrawn = Pattern(seed: 2);
        window.Draw(redrawn);
        Assert.Equal(Bgr(redrawn), Bgr(Bytes(fromFramebuffer)));
    }

    [SkippableTheory]
    [InlineData(540, 400)]
    [InlineData(-30, -20)]
    public void A_window_moved_partly_off_the_screen_is_found_again_and_its_hidden_part_reads_as_zero(int x, int y)
    {
        using var xvfb = StartXvfb();
        using var framebuffer = xvfb.OpenFramebuffer();
        using var display = X11Display.Open(xvfb.DisplayName);
        using var window = new DrawnWindow(display, 50, 40, Width, Height);
        using var capture = new FramebufferCapture(display, window.Id, framebuffer);
        window.Move(x, y);
        var drawn = Pattern(seed: 3);
        window.Draw(drawn);

        var copied = Bytes(capture);
        Assert.Equal((x, y), capture.ScreenPosition);
        for (var row = 0; row < Height; row++)
        {
            for (var column = 0; column < Width; column++)
            {
                var onScreen = x + column is >= 0 and < ScreenWidth && y + row is >= 0 and < ScreenHeight;
                var i = ((row * Width) + column) * 4;
                var expected = onScreen ? drawn.AsSpan(i, 3).ToArray() : new byte[3];
                Assert.True(expected.AsSpan().SequenceEqual(copied.AsSpan(i, 3)), $"pixel {column},{row} (on screen: {onScreen})");
            }
        }
    }

    [SkippableFact]
    public void Capture_allocates_nothing_and_a_destroyed_window_throws()
    {
        using var xvfb = StartXvfb();
        using var framebuffer = xvfb.OpenFramebuffer();
        using var display = X11Display.Open(xvfb.DisplayName);
        var window = new DrawnWindow(display, 0, 0, Width, Height);
        using var capture = new FramebufferCapture(display, window.Id, framebuffer);

        Assert.Equal(0, Allocations.OnThisThread(() => capture.Capture(), warmUp: 20, repetitions: 200));

        window.Dispose();
        var error = Assert.Throws<X11Exception>(() => capture.Capture());
        Assert.Contains("was destroyed", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Xvfb_exiting_makes_capture_throw_and_its_framebuffer_segment_does_not_outlive_it()
    {
        var xvfb = StartXvfb();
        var segment = xvfb.FramebufferSegment!.Value;
        var framebuffer = xvfb.OpenFramebuffer();

        // Left open on purpose: closing a connection to a dead server ends the process (Xlib's I/O error handler).
        var display = X11Display.Open(xvfb.DisplayName);
        var window = new DrawnWindow(display, 0, 0, Width, Height);
        var capture = new FramebufferCapture(display, window.Id, framebuffer);
        capture.Capture();

        _ = LibC.kill(xvfb.ProcessId, LibC.SigKill);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!xvfb.HasExited && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        var error = Assert.Throws<X11Exception>(() => capture.Capture());
        Assert.Contains($"the X server of display '{xvfb.DisplayName}' exited", error.Message, StringComparison.Ordinal);

        // Still attached here, so the kernel keeps it; once the last reader detaches it is freed (Tempo marked it for removal).
        Assert.True(SegmentExists(segment), "the segment vanished while still attached");
        capture.Dispose();
        framebuffer.Dispose();
        xvfb.Dispose();
        Assert.False(SegmentExists(segment), $"Xvfb's framebuffer segment {segment} outlived Xvfb and its readers");
    }

    private static XvfbServer StartXvfb()
    {
        ExternalTool.Require("Xvfb", "xvfb");
        var xvfb = XvfbServer.Start(ScreenWidth, ScreenHeight);
        Assert.NotNull(xvfb.FramebufferSegment);
        return xvfb;
    }

    private static unsafe bool SegmentExists(int id)
    {
        var stat = stackalloc byte[LibC.ShmidDsSize];
        return LibC.shmctl(id, LibC.IpcStat, (nint)stat) == 0;
    }

    // Random B, G, R bytes and a zero fourth byte: depth 24 has no fourth channel for the server to keep.
    private static byte[] Pattern(int seed)
    {
        var pixels = new byte[Width * Height * 4];
        new Random(seed).NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 0;
        }

        return pixels;
    }

    private static byte[] Bytes(Tempo.Games.Imaging.IFrameSource source)
    {
        var frame = source.Capture();
        var bytes = new byte[frame.Width * frame.Height * 4];
        for (var y = 0; y < frame.Height; y++)
        {
            frame.Row(y).CopyTo(bytes.AsSpan(y * frame.Width * 4));
        }

        return bytes;
    }

    private static byte[] Bgr(byte[] bgrx) => [.. bgrx.Where((_, i) => i % 4 != 3)];
}
