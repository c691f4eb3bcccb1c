using System.Runtime.InteropServices;
using Tempo.Games.Native;
using Tempo.Games.X11;

namespace Tempo.Games.Tests.X11;

/// <summary>A plain top-level window the test draws known pixels into (XPutImage), on a display without a window manager.</summary>
internal sealed class DrawnWindow : IDisposable
{
    private readonly X11Display _display;
    private bool _destroyed;

    public DrawnWindow(X11Display display, int x, int y, int width, int height)
    {
        _display = display;
        Width = width;
        Height = height;
        lock (display.Gate)
        {
            Id = X11Native.XCreateSimpleWindow(display.Handle, display.Root, x, y, (uint)width, (uint)height, 0, 0, 0);
            X11Native.XMapWindow(display.Handle, Id);
        }

        display.SyncAndCheck("creating a test window");
    }

    public ulong Id { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Puts <paramref name="bgrx"/> (4 bytes a pixel, rows of 4 × <see cref="Width"/>) into the window; returns once the server drew it.</summary>
    public unsafe void Draw(byte[] bgrx)
    {
        fixed (byte* data = bgrx)
        {
            lock (_display.Gate)
            {
                var image = X11Native.XCreateImage(_display.Handle, X11Native.XDefaultVisual(_display.Handle, 0), 24, X11Native.ZPixmap, 0, (nint)data, (uint)Width, (uint)Height, 32, Width * 4);
                X11Native.XPutImage(_display.Handle, Id, X11Native.XDefaultGC(_display.Handle, 0), image, 0, 0, 0, 0, (uint)Width, (uint)Height);
                X11Native.XSync(_display.Handle, 0);

                // The pixels are the test's array: XDestroyImage must not free them.
                Marshal.WriteIntPtr(image, X11Native.ImageDataOffset, 0);
                X11Native.XDestroyImage(image);
            }
        }

        _display.SyncAndCheck("drawing into a test window");
    }

    public void Move(int x, int y)
    {
        lock (_display.Gate)
        {
            X11Native.XMoveWindow(_display.Handle, Id, x, y);
        }

        _display.SyncAndCheck("moving a test window");
    }

    public void Dispose()
    {
        if (_destroyed)
        {
            return;
        }

        _destroyed = true;
        lock (_display.Gate)
        {
            X11Native.XDestroyWindow(_display.Handle, Id);
        }

        _display.SyncAndCheck("destroying a test window");
    }
}
