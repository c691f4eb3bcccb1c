using System.Diagnostics;
using System.Globalization;

namespace Tempo.Games.Supervision;

/// <summary>Starts helper programs (a virtual display, a game) in a session of their own, tied to this process's life.</summary>
/// <remarks>
/// <para>Ctrl-C sends SIGINT to the terminal's whole foreground process group, children included. An Xvfb killed that way
/// takes the X connection with it, and Xlib ends the process on a lost connection before the run can stop cleanly
/// (no "interrupted", no last checkpoint). In a session of its own it lives until Tempo stops it, by pid.
/// <c>setsid</c> execs the program in place when the caller is not a group leader (a child never is), so the pid is the
/// program's own.</para>
/// <para>A session of its own also means nothing stops it when this process dies without cleaning up (<c>kill -9</c>, a
/// crash): a game would keep running on a machine nobody watches. So each one gets a watcher, a shell outside this
/// process that polls once a second and kills the program once this process is gone. It exits by itself as soon as
/// the program does, so it never signals a pid the program no longer owns (a pid is reused only after that).</para>
/// </remarks>
internal static class OwnSession
{
    private const string SetSid = "/usr/bin/setsid";
    private const string Shell = "/bin/sh";

    /// <summary>Start information for <paramref name="program"/>, through <c>setsid</c> where it exists.</summary>
    public static ProcessStartInfo For(string program) =>
        OperatingSystem.IsLinux() && File.Exists(SetSid) ? new ProcessStartInfo(SetSid) { ArgumentList = { program } } : new ProcessStartInfo(program);

    /// <summary>Starts <paramref name="info"/> and has its program killed once this process is gone.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started.</exception>
    public static Process Start(ProcessStartInfo info)
    {
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start '{info.FileName}'");
        Watch(Environment.ProcessId, process.Id);
        return process;
    }

    /// <summary>Starts a watcher that kills <paramref name="child"/> (SIGKILL) once <paramref name="owner"/> is gone; it ends when either is.</summary>
    internal static void Watch(int owner, int child)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Shell))
        {
            return;
        }

        var o = owner.ToString(CultureInfo.InvariantCulture);
        var c = child.ToString(CultureInfo.InvariantCulture);
        var info = For(Shell);
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"while kill -0 {o} 2>/dev/null && kill -0 {c} 2>/dev/null; do sleep 1; done; kill -0 {o} 2>/dev/null || kill -9 {c} 2>/dev/null");
        // Pipes of its own: inheriting this process's output would hold a reader of it open until the watcher ends.
        info.UseShellExecute = false;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var watcher = Process.Start(info);
    }
}
