using System.Diagnostics;
using Tempo.Games.Native;

namespace Tempo.Games.Supervision;

/// <summary>Stops a child process by its pid: SIGTERM, then SIGKILL after a grace period (some games ignore TERM and keep spinning).</summary>
public static class ProcessStopper
{
    /// <summary>Stops <paramref name="process"/> if it is still running and waits until it is gone.</summary>
    /// <param name="process">The process, started by the caller.</param>
    /// <param name="grace">How long to wait after SIGTERM before SIGKILL.</param>
    public static void Stop(Process process, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (HasExited(process))
        {
            return;
        }

        if (OperatingSystem.IsLinux())
        {
            _ = LibC.kill(process.Id, LibC.SigTerm);
            if (process.WaitForExit(grace))
            {
                return;
            }
        }

        try
        {
            process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        process.WaitForExit(TimeSpan.FromSeconds(5));
    }

    /// <summary>Whether the process has exited, false for one that was never started.</summary>
    public static bool HasExited(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
