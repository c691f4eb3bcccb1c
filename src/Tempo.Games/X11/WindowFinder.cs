using System.Runtime.InteropServices;
using Tempo.Games.Native;

namespace Tempo.Games.X11;

/// <summary>Finds a process's visible top-level window by the <c>_NET_WM_PID</c> property its toolkit sets (never by title).</summary>
public static class WindowFinder
{
    /// <summary>The largest viewable window whose <c>_NET_WM_PID</c> is <paramref name="pid"/>, or null when there is none yet.</summary>
    /// <remarks>Viewable only: toolkits create short-lived helper windows with the same pid that cannot be captured.</remarks>
    /// <param name="display">The display the process draws on.</param>
    /// <param name="pid">The process id.</param>
    public static ulong? FindByPid(X11Display display, int pid)
    {
        ArgumentNullException.ThrowIfNull(display);
        var pidAtom = display.Atom("_NET_WM_PID");
        lock (display.Gate)
        {
            ulong? best = null;
            long bestArea = 0;
            Visit(display, display.Root, pidAtom, pid, ref best, ref bestArea, depth: 0);
            display.ThrowIfFailed("listing windows");
            return best;
        }
    }

    /// <summary>The window's size and whether it is viewable; null when the window no longer exists.</summary>
    public static (int Width, int Height, bool Viewable)? Describe(X11Display display, ulong window)
    {
        ArgumentNullException.ThrowIfNull(display);
        lock (display.Gate)
        {
            var ok = X11Native.XGetWindowAttributes(display.Handle, window, out var attributes) != 0;
            X11Native.XSync(display.Handle, 0);
            try
            {
                display.ThrowIfFailed("reading window attributes");
            }
            catch (X11Exception)
            {
                return null;
            }

            return ok ? (attributes.Width, attributes.Height, attributes.MapState == X11Native.IsViewable) : null;
        }
    }

    private static unsafe void Visit(X11Display display, ulong window, ulong pidAtom, int pid, ref ulong? best, ref long bestArea, int depth)
    {
        if (X11Native.XQueryTree(display.Handle, window, out _, out _, out var children, out var count) == 0 || children == 0)
        {
            return;
        }

        try
        {
            var span = new ReadOnlySpan<ulong>((void*)children, (int)count);
            foreach (var child in span)
            {
                if (WindowPid(display, child, pidAtom) == pid
                    && X11Native.XGetWindowAttributes(display.Handle, child, out var attributes) != 0
                    && attributes.MapState == X11Native.IsViewable)
                {
                    long area = (long)attributes.Width * attributes.Height;
                    if (area > bestArea)
                    {
                        best = child;
                        bestArea = area;
                    }
                }

                // Under a window manager the client window sits inside a frame; two levels cover that.
                if (depth < 2)
                {
                    Visit(display, child, pidAtom, pid, ref best, ref bestArea, depth + 1);
                }
            }
        }
        finally
        {
            X11Native.XFree(children);
        }
    }

    private static long WindowPid(X11Display display, ulong window, ulong pidAtom)
    {
        var status = X11Native.XGetWindowProperty(display.Handle, window, pidAtom, 0, 1, 0, X11Native.XaCardinal,
            out _, out var format, out var items, out _, out var data);
        if (status != 0 || data == 0)
        {
            return -1;
        }

        try
        {
            // Format-32 properties come back as C longs.
            return format == 32 && items >= 1 ? Marshal.ReadInt64(data) : -1;
        }
        finally
        {
            X11Native.XFree(data);
        }
    }
}
