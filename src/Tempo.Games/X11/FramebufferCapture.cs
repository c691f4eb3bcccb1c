using Tempo.Games.Display;
using Tempo.Games.Imaging;
using Tempo.Games.Native;

namespace Tempo.Games.X11;

/// <summary>
/// Captures one window of a Tempo-started Xvfb by copying its rectangle out of the server's shared-memory framebuffer:
/// no X request per frame, so a capture never waits for Xvfb to be scheduled (<see cref="ShmCapture"/> does, each time).
/// </summary>
/// <remarks>
/// <para>
/// The window's place on the screen is read once (XTranslateCoordinates) and again whenever the server reports that it
/// moved: the capture selects the window's structure events and, per frame, only looks at what already arrived on the
/// connection (a non-blocking read, no request). A window destroyed or unmapped makes <see cref="Capture"/> throw
/// <see cref="X11Exception"/>, as <see cref="ShmCapture"/> does; so does a resized one, and Xvfb exiting.
/// </para>
/// <para>
/// The framebuffer holds what the screen shows: parts of the window off the screen read as zero, and a window covered
/// by another reads as the cover (Tempo's own Xvfb runs one game, so nothing covers it). The copy is taken while the
/// game may be drawing, so a frame can join the top of one game frame to the bottom of the next, as a monitor's
/// tearing does; a request-based capture is served between the game's requests and never tears.
/// </para>
/// </remarks>
internal sealed unsafe class FramebufferCapture : IFrameSource
{
    private readonly X11Display _display;
    private readonly ulong _window;
    private readonly XvfbFramebuffer _framebuffer;
    private readonly byte[] _pixels;
    private readonly int _stride;
    private int _screenX;
    private int _screenY;

    // The part of the window on the screen, in window coordinates: columns [_fromX, _toX), rows [_fromY, _toY).
    private int _fromX;
    private int _toX;
    private int _fromY;
    private int _toY;
    private int _currentWidth;
    private int _currentHeight;
    private bool _mapped;
    private bool _destroyed;
    private bool _disposed;

    /// <summary>Prepares capture of <paramref name="window"/> at its current size from <paramref name="framebuffer"/>.</summary>
    /// <param name="display">A connection to the framebuffer's display, for the window's position and events.</param>
    /// <param name="window">The window.</param>
    /// <param name="framebuffer">The display's screen 0.</param>
    public FramebufferCapture(X11Display display, ulong window, XvfbFramebuffer framebuffer)
    {
        _display = display ?? throw new ArgumentNullException(nameof(display));
        _framebuffer = framebuffer ?? throw new ArgumentNullException(nameof(framebuffer));
        _window = window;
        lock (display.Gate)
        {
            if (X11Native.XGetWindowAttributes(display.Handle, window, out var attributes) == 0)
            {
                X11Native.XSync(display.Handle, 0);
                display.ForgetError();
                throw new X11Exception($"window 0x{window:x} on display '{display.Name}' does not exist");
            }

            Width = _currentWidth = attributes.Width;
            Height = _currentHeight = attributes.Height;
            _mapped = attributes.MapState == X11Native.IsViewable;
            _stride = Width * 4;
            _pixels = new byte[_stride * Height];

            // A relaunched game's window often gets the id its predecessor had (the server hands a new client the same
            // id base), and that window's DestroyNotify may still wait on this connection: drop it before listening.
            X11Native.XSync(display.Handle, 0);
            DropQueuedEvents();

            // Selected before the position is read, so a move after the read arrives as an event.
            X11Native.XSelectInput(display.Handle, window, X11Native.StructureNotifyMask);
            ReadPosition();
        }
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <summary>The window's inside top-left corner on the screen, as last read.</summary>
    public (int X, int Y) ScreenPosition => (_screenX, _screenY);

    /// <inheritdoc/>
    public BgraFrame Capture()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _framebuffer.ThrowIfServerGone();
        lock (_display.Gate)
        {
            if (!_destroyed && TakeEvents() && _mapped && _currentWidth == Width && _currentHeight == Height)
            {
                ReadPosition();
            }
        }

        // As XShmGetImage fails on a window that is gone, hidden or smaller than the image, so does this.
        if (_destroyed)
        {
            throw new X11Exception($"window 0x{_window:x} on display '{_display.Name}' was destroyed");
        }

        if (!_mapped)
        {
            throw new X11Exception($"window 0x{_window:x} on display '{_display.Name}' is not mapped");
        }

        if (_currentWidth != Width || _currentHeight != Height)
        {
            throw new X11Exception($"window 0x{_window:x} on display '{_display.Name}' is {_currentWidth}x{_currentHeight}, not the {Width}x{Height} its capture was made for");
        }

        var width = _toX - _fromX;
        for (var y = _fromY; y < _toY; y++)
        {
            _framebuffer.Line(_screenY + y, _screenX + _fromX, width).CopyTo(_pixels.AsSpan((y * _stride) + (_fromX * 4)));
        }

        return new BgraFrame(_pixels, Width, Height, _stride);
    }

    /// <summary>Stops listening to the window's events; the framebuffer stays attached (the game instance owns it).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Nothing to deselect on a dead server: any call on its connection would end the process (Xlib's I/O error).
        if (!_destroyed && !_framebuffer.ServerExited)
        {
            lock (_display.Gate)
            {
                X11Native.XSelectInput(_display.Handle, _window, 0);
                X11Native.XSync(_display.Handle, 0);
                _display.ForgetError();
                DropQueuedEvents();
            }
        }
    }

    // Under the display's gate.
    private void DropQueuedEvents()
    {
        var e = stackalloc byte[X11Native.EventSize];
        while (X11Native.XCheckWindowEvent(_display.Handle, _window, X11Native.StructureNotifyMask, e) != 0)
        {
        }
    }

    // Reads the structure events that already arrived into the window's state; true when it may have moved.
    private bool TakeEvents()
    {
        var moved = false;
        var e = stackalloc byte[X11Native.EventSize];
        while (X11Native.XCheckWindowEvent(_display.Handle, _window, X11Native.StructureNotifyMask, e) != 0)
        {
            switch (*(int*)e)
            {
                case X11Native.DestroyNotify:
                    _destroyed = true;
                    return false;
                case X11Native.UnmapNotify:
                    _mapped = false;
                    break;
                case X11Native.MapNotify:
                    _mapped = true;
                    moved = true;
                    break;
                case X11Native.ConfigureNotify:
                    _currentWidth = *(int*)(e + X11Native.ConfigureWidthOffset);
                    _currentHeight = *(int*)(e + X11Native.ConfigureHeightOffset);
                    moved = true;
                    break;
                case X11Native.ReparentNotify or X11Native.GravityNotify:
                    moved = true;
                    break;
            }
        }

        return moved;
    }

    // Under the display's gate. One round trip; only at start and after the window moved.
    private void ReadPosition()
    {
        var ok = X11Native.XTranslateCoordinates(_display.Handle, _window, _display.Root, 0, 0, out var x, out var y, out _) != 0;
        X11Native.XSync(_display.Handle, 0);
        _display.ThrowIfFailed($"locating window 0x{_window:x}");
        if (!ok)
        {
            throw new X11Exception($"window 0x{_window:x} on display '{_display.Name}' is not on its screen");
        }

        _screenX = x;
        _screenY = y;
        _fromX = Math.Clamp(-x, 0, Width);
        _toX = Math.Clamp(_framebuffer.Width - x, _fromX, Width);
        _fromY = Math.Clamp(-y, 0, Height);
        _toY = Math.Clamp(_framebuffer.Height - y, _fromY, Height);

        // What is off the screen stays zero; the on-screen part is copied over every frame.
        _pixels.AsSpan().Clear();
    }
}
