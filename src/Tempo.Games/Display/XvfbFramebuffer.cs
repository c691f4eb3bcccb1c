using System.Runtime.InteropServices;
using Tempo.Games.Native;
using Tempo.Games.X11;

namespace Tempo.Games.Display;

/// <summary>Screen 0 of a Tempo-started Xvfb, read straight from its shared-memory segment (attached read-only).</summary>
/// <remarks>
/// The segment holds what the screen shows: a window covered by another reads as the cover. The mapping stays valid
/// after Xvfb exits (the kernel keeps the segment while it is attached) but shows a dead screen, so readers ask
/// <see cref="ThrowIfServerGone"/> first.
/// </remarks>
internal sealed unsafe class XvfbFramebuffer : IDisposable
{
    private readonly XvfbServer _server;
    private readonly byte* _segment;
    private readonly long _pixelsOffset;
    private bool _disposed;

    private XvfbFramebuffer(XvfbServer server, byte* segment, XwdHeader header)
    {
        _server = server;
        _segment = segment;
        _pixelsOffset = header.PixelsOffset;
        Width = header.Width;
        Height = header.Height;
        Stride = header.BytesPerLine;
    }

    /// <summary>Screen width in pixels.</summary>
    public int Width { get; }

    /// <summary>Screen height in pixels.</summary>
    public int Height { get; }

    /// <summary>Bytes from one screen line to the next.</summary>
    public int Stride { get; }

    /// <summary>The display the screen belongs to, e.g. ":3".</summary>
    public string DisplayName => _server.DisplayName;

    /// <summary>Attaches segment <paramref name="id"/> read-only and checks its header.</summary>
    public static XvfbFramebuffer Attach(int id, XvfbServer server)
    {
        var stat = stackalloc byte[LibC.ShmidDsSize];
        if (LibC.shmctl(id, LibC.IpcStat, (nint)stat) != 0)
        {
            throw new X11Exception($"Xvfb's framebuffer segment {id} on {server.DisplayName} is gone (errno {Marshal.GetLastPInvokeError()}): the server exited");
        }

        var size = (long)*(nuint*)(stat + LibC.ShmSegmentSizeOffset);
        var address = LibC.shmat(id, 0, LibC.ShmReadOnly);
        if (address == -1)
        {
            throw new X11Exception($"cannot attach Xvfb's framebuffer segment {id} on {server.DisplayName} (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            var header = XwdHeader.Parse(new ReadOnlySpan<byte>((void*)address, (int)Math.Min(size, XwdHeader.FixedSize)), size);
            return new XvfbFramebuffer(server, (byte*)address, header);
        }
        catch
        {
            _ = LibC.shmdt(address);
            throw;
        }
    }

    /// <summary>Line <paramref name="y"/> from pixel <paramref name="x"/>, <paramref name="width"/> pixels (4 bytes each). Inside the screen only.</summary>
    public ReadOnlySpan<byte> Line(int y, int x, int width)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new ReadOnlySpan<byte>(_segment + _pixelsOffset + ((long)y * Stride) + (x * 4L), width * 4);
    }

    /// <summary>Whether Xvfb has exited: the segment then holds its last picture forever.</summary>
    public bool ServerExited => _server.HasExited;

    /// <summary>Throws <see cref="X11Exception"/> once Xvfb has exited.</summary>
    public void ThrowIfServerGone()
    {
        if (ServerExited)
        {
            throw new X11Exception($"the X server of display '{_server.DisplayName}' exited: its framebuffer is gone");
        }
    }

    /// <summary>Detaches the segment (the kernel frees it once Xvfb has too).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ = LibC.shmdt((nint)_segment);
    }
}
