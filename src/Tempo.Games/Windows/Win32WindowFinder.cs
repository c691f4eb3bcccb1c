using System.Runtime.Versioning;

namespace Tempo.Games.Windows;

/// <summary>Finds a process's largest visible top-level window on Windows. Untested in this repository's CI.</summary>
[SupportedOSPlatform("windows")]
public static class Win32WindowFinder
{
    /// <summary>The window handle, or null when the process has no visible window yet.</summary>
    public static nint? FindByPid(int pid)
    {
        nint best = 0;
        long bestArea = 0;
        Win32Native.EnumWindows(
            (window, _) =>
            {
                Win32Native.GetWindowThreadProcessId(window, out var owner);
                if (owner == (uint)pid && Win32Native.IsWindowVisible(window) && Win32Native.GetClientRect(window, out var rect))
                {
                    long area = (long)(rect.Right - rect.Left) * (rect.Bottom - rect.Top);
                    if (area > bestArea)
                    {
                        best = window;
                        bestArea = area;
                    }
                }

                return true;
            },
            0);
        return best == 0 ? null : best;
    }
}
