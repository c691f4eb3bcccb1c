using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Tempo.Games.Native;
using Tempo.Games.Supervision;

namespace Tempo.Games.Display;

/// <summary>
/// A private virtual X server (Xvfb) for one game instance: it picks a free display number itself (<c>-displayfd</c>),
/// so several instances and parallel test runs never collide, and it is stopped by its pid.
/// </summary>
/// <remarks>
/// The screen lives in a System V shared-memory segment (<c>-shmem</c>) that Tempo reads directly
/// (<see cref="X11.FramebufferCapture"/>), with no request to the server per frame. Xvfb only detaches the segment when
/// it exits, it never removes it, so every Xvfb would leave its screen behind in memory: Tempo marks the segment for
/// removal as soon as Xvfb names it, and the kernel frees it once Xvfb and every reader have detached.
/// </remarks>
public sealed partial class XvfbServer : IDisposable
{
    private readonly Process _process;

    private XvfbServer(Process process, string displayName, int? framebufferSegment)
    {
        _process = process;
        DisplayName = displayName;
        FramebufferSegment = framebufferSegment;
    }

    /// <summary>The display name to give the game (<c>DISPLAY</c>) and <see cref="X11.X11Display.Open"/>, e.g. ":3".</summary>
    public string DisplayName { get; }

    /// <summary>The server's pid.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The id of the shared-memory segment holding screen 0 (an XWD image), or null when Xvfb did not name one.</summary>
    internal int? FramebufferSegment { get; }

    /// <summary>Starts Xvfb with one <paramref name="width"/>×<paramref name="height"/> 24-bit screen and waits until it accepts connections.</summary>
    /// <param name="width">Screen width; at least the game window's.</param>
    /// <param name="height">Screen height.</param>
    /// <param name="program">The Xvfb executable (default "Xvfb" on PATH).</param>
    /// <param name="timeout">How long to wait for the server (default 10 s).</param>
    public static XvfbServer Start(int width = 640, int height = 480, string program = "Xvfb", TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        // Its own session: a terminal's Ctrl-C must stop the run, not the display under its games.
        var info = OwnSession.For(program);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;

        // -displayfd 1: Xvfb chooses a free display and writes its number to stdout once it accepts connections.
        // -shmem: the screen in a shared-memory segment, named on stderr as "screen 0 shmid N" while the screen is set up.
        foreach (var argument in new[] { "-displayfd", "1", "-shmem", "-screen", "0", $"{width}x{height}x24", "-nolisten", "tcp", "+extension", "MIT-SHM", "+extension", "XTEST" })
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = OwnSession.Start(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"could not start '{program}': {e.Message} (apt-get install xvfb)", e);
        }

        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var segment = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                segment.TrySetResult(null);
            }
            else if (SegmentLine().Match(e.Data) is { Success: true } match)
            {
                segment.TrySetResult(int.Parse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture));
            }
            else if (errors.Count < 50)
            {
                errors.Enqueue(e.Data);
            }
        };
        process.BeginErrorReadLine();
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(timeout ?? TimeSpan.FromSeconds(10)) || !int.TryParse(line.Result, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            ProcessStopper.Stop(process, TimeSpan.FromSeconds(1));

            // After an exit, wait for standard error to drain: it says why (setsid names a program it cannot run).
            process.WaitForExit();
            throw new InvalidOperationException($"Xvfb did not report a display within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds} s: {string.Join(" | ", errors)}");
        }

        // Xvfb names the segment before it accepts connections, so the line is already in the pipe (or never comes).
        int? framebuffer = segment.Task.Wait(TimeSpan.FromSeconds(2)) ? segment.Task.Result : null;
        if (framebuffer is { } id)
        {
            // Marked now, while Xvfb holds it: Linux still lets readers attach a segment marked for removal.
            _ = LibC.shmctl(id, LibC.IpcRmid, 0);
        }

        return new XvfbServer(process, ":" + number.ToString(CultureInfo.InvariantCulture), framebuffer);
    }

    /// <summary>Attaches screen 0's framebuffer read-only.</summary>
    /// <exception cref="InvalidOperationException">This Xvfb named no framebuffer segment.</exception>
    /// <exception cref="X11.X11Exception">The segment could not be attached (Xvfb exited).</exception>
    /// <exception cref="InvalidDataException">Its header is not a 32-bit BGRX screen.</exception>
    internal XvfbFramebuffer OpenFramebuffer() =>
        FramebufferSegment is { } id ? XvfbFramebuffer.Attach(id, this) : throw new InvalidOperationException($"Xvfb on {DisplayName} named no shared-memory framebuffer");

    /// <summary>Whether the server has exited.</summary>
    public bool HasExited => ProcessStopper.HasExited(_process);

    [GeneratedRegex(@"^screen 0 shmid (\d+)$")]
    private static partial Regex SegmentLine();

    /// <summary>Stops the server by its pid.</summary>
    public void Dispose()
    {
        ProcessStopper.Stop(_process, TimeSpan.FromSeconds(2));
        _process.Dispose();
    }
}
