using System.Runtime.Versioning;
using Tempo.Games.Imaging;

namespace Tempo.Games.Windows;

/// <summary>
/// Captures a window on Windows into a 32-bit top-down DIB section reused for every frame: PrintWindow with
/// PW_RENDERFULLCONTENT (works for DirectX windows and covered windows), or BitBlt from the window's DC (cheaper, needs
/// the window visible). Compiled everywhere, exercised only on Windows: untested in this repository's CI.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed unsafe class GdiCapture : IFrameSource
{
    private readonly nint _window;
    private readonly bool _printWindow;
    private readonly nint _memoryDc;
    private readonly nint _bitmap;
    private readonly nint _previous;
    private readonly nint _bits;
    private bool _disposed;

    /// <summary>Prepares capture of <paramref name="window"/> at its current client size.</summary>
    /// <param name="window">The window handle (<see cref="Win32WindowFinder.FindByPid"/>).</param>
    /// <param name="printWindow">Use PrintWindow (true) or BitBlt (false).</param>
    public GdiCapture(nint window, bool printWindow = true)
    {
        if (!OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("GdiCapture needs Windows; on Linux use X11.ShmCapture");
        }

        _window = window;
        _printWindow = printWindow;
        if (!Win32Native.GetClientRect(window, out var rect))
        {
            throw new InvalidOperationException($"window 0x{window:x} does not exist");
        }

        Width = rect.Right - rect.Left;
        Height = rect.Bottom - rect.Top;
        var header = new Win32Native.BitmapInfoHeader
        {
            Size = (uint)sizeof(Win32Native.BitmapInfoHeader),
            Width = Width,
            Height = -Height, // negative: rows top-down, as BgraFrame expects
            Planes = 1,
            BitCount = 32,
        };
        var screen = Win32Native.GetDC(0);
        _memoryDc = Win32Native.CreateCompatibleDC(screen);
        _bitmap = Win32Native.CreateDIBSection(screen, &header, 0, out _bits, 0, 0);
        _ = Win32Native.ReleaseDC(0, screen);
        if (_bitmap == 0 || _bits == 0)
        {
            Win32Native.DeleteDC(_memoryDc);
            throw new InvalidOperationException($"CreateDIBSection failed for a {Width}x{Height} window");
        }

        _previous = Win32Native.SelectObject(_memoryDc, _bitmap);
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public BgraFrame Capture()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool ok;
        if (_printWindow)
        {
            ok = Win32Native.PrintWindow(_window, _memoryDc, Win32Native.PrintWindowRenderFullContent);
        }
        else
        {
            var windowDc = Win32Native.GetDC(_window);
            ok = Win32Native.BitBlt(_memoryDc, 0, 0, Width, Height, windowDc, 0, 0, Win32Native.SrcCopy);
            _ = Win32Native.ReleaseDC(_window, windowDc);
        }

        if (!ok)
        {
            throw new InvalidOperationException($"capturing window 0x{_window:x} failed (it may have closed)");
        }

        return new BgraFrame(new ReadOnlySpan<byte>((void*)_bits, Width * Height * 4), Width, Height, Width * 4);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Win32Native.SelectObject(_memoryDc, _previous);
        Win32Native.DeleteObject(_bitmap);
        Win32Native.DeleteDC(_memoryDc);
    }
}
