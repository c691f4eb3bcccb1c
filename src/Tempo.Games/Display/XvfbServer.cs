using System.Diagnostics;
using System.Globalization;
using Tempo.Games.Supervision;

namespace Tempo.Games.Display;

/// <summary>
/// A private virtual X server (Xvfb) for one game instance: it picks a free display number itself (<c>-displayfd</c>),
/// so several instances and parallel test runs never collide, and it is stopped by its pid.
/// </summary>
public sealed class XvfbServer : IDisposable
{
    private readonly Process _process;

    private XvfbServer(Process process, string displayName)
    {
        _process = process;
        DisplayName = displayName;
    }

    /// <summary>The display name to give the game (<c>DISPLAY</c>) and <see cref="X11.X11Display.Open"/>, e.g. ":3".</summary>
    public string DisplayName { get; }

    /// <summary>The server's pid.</summary>
    public int ProcessId => _process.Id;

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
        foreach (var argument in new[] { "-displayfd", "1", "-screen", "0", $"{width}x{height}x24", "-nolisten", "tcp", "+extension", "MIT-SHM", "+extension", "XTEST" })
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
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && errors.Count < 50)
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

        return new XvfbServer(process, ":" + number.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Whether the server has exited.</summary>
    public bool HasExited => ProcessStopper.HasExited(_process);

    /// <summary>Stops the server by its pid.</summary>
    public void Dispose()
    {
        ProcessStopper.Stop(_process, TimeSpan.FromSeconds(2));
        _process.Dispose();
    }
}
