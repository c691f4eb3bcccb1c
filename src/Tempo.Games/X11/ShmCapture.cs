using System.Runtime.InteropServices;
using Tempo.Games.Imaging;
using Tempo.Games.Native;

namespace Tempo.Games.X11;

/// <summary>Captures one X11 window through MIT-SHM (XShmGetImage) into a shared-memory image reused for every frame.</summary>
/// <remarks>
/// The X server writes the pixels straight into memory this process maps, so a 640×480 frame costs about 0.15 ms and
/// nothing is allocated per capture. The window must keep its size; a window that vanished (the game exited)
/// makes <see cref="Capture"/> throw <see cref="X11Exception"/>.
/// </remarks>
public sealed unsafe class ShmCapture : IFrameSource
{
    private readonly X11Display _display;
    private readonly ulong _window;
    // Xlib keeps a pointer to the segment info inside the image (obdata) and reads it on every XShmGetImage, so it must
    // live in native memory: a field of this object would move with the GC and the server would get a garbage segment id.
    private readonly X11Native.XShmSegmentInfo* _segment;
    private readonly nint _image;
    private readonly int _stride;
    private bool _disposed;

    /// <summary>Prepares capture of <paramref name="window"/> at its current size.</summary>
    /// <param name="display">The window's display.</param>
    /// <param name="window">The window (<see cref="WindowFinder.FindByPid"/>).</param>
    public ShmCapture(X11Display display, ulong window)
    {
        _display = display ?? throw new ArgumentNullException(nameof(display));
        _window = window;
        lock (display.Gate)
        {
            if (X11Native.XShmQueryExtension(display.Handle) == 0)
            {
                throw new X11Exception($"display '{display.Name}' has no MIT-SHM extension");
            }

            if (X11Native.XGetWindowAttributes(display.Handle, window, out var attributes) == 0)
            {
                throw new X11Exception($"window 0x{window:x} on display '{display.Name}' does not exist");
            }

            Width = attributes.Width;
            Height = attributes.Height;
            _segment = (X11Native.XShmSegmentInfo*)NativeMemory.AllocZeroed((nuint)sizeof(X11Native.XShmSegmentInfo));
            _image = X11Native.XShmCreateImage(display.Handle, attributes.Visual, (uint)attributes.Depth, X11Native.ZPixmap, 0, ref *_segment, (uint)Width, (uint)Height);
            if (_image == 0)
            {
                NativeMemory.Free(_segment);
                throw new X11Exception($"XShmCreateImage failed for a {Width}x{Height} depth-{attributes.Depth} window");
            }

            var bitsPerPixel = Marshal.ReadInt32(_image, X11Native.ImageBitsPerPixelOffset);
            if (bitsPerPixel != 32)
            {
                X11Native.XDestroyImage(_image);
                NativeMemory.Free(_segment);
                throw new X11Exception($"window 0x{window:x} has {bitsPerPixel} bits per pixel; capture needs 32 (run Xvfb with -screen 0 WxHx24)");
            }

            _stride = Marshal.ReadInt32(_image, X11Native.ImageBytesPerLineOffset);
            _segment->ShmId = LibC.shmget(LibC.IpcPrivate, (nuint)(_stride * Height), LibC.IpcCreat | 0x180);
            if (_segment->ShmId < 0)
            {
                X11Native.XDestroyImage(_image);
                NativeMemory.Free(_segment);
                throw new X11Exception($"shmget of {_stride * Height} bytes failed (errno {Marshal.GetLastPInvokeError()})");
            }

            _segment->ShmAddr = LibC.shmat(_segment->ShmId, 0, 0);
            Marshal.WriteIntPtr(_image, X11Native.ImageDataOffset, _segment->ShmAddr);
            X11Native.XShmAttach(display.Handle, ref *_segment);
            X11Native.XSync(display.Handle, 0);

            // Marked for removal now: the kernel frees the segment when both sides detach, even if this process dies.
            LibC.shmctl(_segment->ShmId, LibC.IpcRmid, 0);
            display.ThrowIfFailed("attaching the shared-memory image");
        }
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <summary>The captured window.</summary>
    public ulong Window => _window;

    /// <inheritdoc/>
    public BgraFrame Capture()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_display.Gate)
        {
            var ok = X11Native.XShmGetImage(_display.Handle, _window, _image, 0, 0, X11Native.AllPlanes);
            if (ok == 0)
            {
                X11Native.XSync(_display.Handle, 0);
                _display.ThrowIfFailed($"capturing window 0x{_window:x}");
                throw new X11Exception($"XShmGetImage failed for window 0x{_window:x} on display '{_display.Name}'");
            }
        }

        return new BgraFrame(new ReadOnlySpan<byte>((void*)_segment->ShmAddr, _stride * Height), Width, Height, _stride);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_display.Gate)
        {
            X11Native.XShmDetach(_display.Handle, ref *_segment);
            X11Native.XSync(_display.Handle, 0);
            _display.ForgetError();

            // XDestroyImage would free the data pointer with free(); it is shared memory, so detach it instead.
            Marshal.WriteIntPtr(_image, X11Native.ImageDataOffset, 0);
            X11Native.XDestroyImage(_image);
            LibC.shmdt(_segment->ShmAddr);
        }

        NativeMemory.Free(_segment);
    }
}
