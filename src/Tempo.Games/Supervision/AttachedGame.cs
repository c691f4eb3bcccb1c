using System.Text;
using Tempo.Games.Memory;
using Tempo.Games.X11;

namespace Tempo.Games.Supervision;

/// <summary>A game someone else started, attached by pid: its memory, its X display and a keyboard there (what <c>tempo scan --pid</c> needs).</summary>
public sealed class AttachedGame : IDisposable
{
    private readonly LinuxProcessMemory _memory;
    private readonly X11Display _display;

    private AttachedGame(int pid, string module, LinuxProcessMemory memory, X11Display display)
    {
        ProcessId = pid;
        MainModule = module;
        _memory = memory;
        _display = display;
        Keyboard = new XTestKeyboard(display);
    }

    /// <summary>The game's pid.</summary>
    public int ProcessId { get; }

    /// <summary>The file name of the game's executable, where chains start.</summary>
    public string MainModule { get; }

    /// <summary>The game's memory.</summary>
    public IProcessMemory Memory => _memory;

    /// <summary>Keys pressed on the game's display (they reach the window with the focus).</summary>
    public XTestKeyboard Keyboard { get; }

    /// <summary>The game's display name.</summary>
    public string DisplayName => _display.Name;

    /// <summary>Attaches to process <paramref name="pid"/>; the display defaults to the DISPLAY in the process's own environment.</summary>
    /// <exception cref="ArgumentException">No such process, or no display given or found; the message names the pid.</exception>
    public static AttachedGame Attach(int pid, string? display = null)
    {
        if (pid <= 0 || !Directory.Exists($"/proc/{pid}"))
        {
            throw new ArgumentException($"no process with pid {pid}");
        }

        display ??= EnvironmentOf(pid, "DISPLAY") ?? throw new ArgumentException($"process {pid} has no DISPLAY in its environment; give --display");
        var module = Path.GetFileName(new FileInfo($"/proc/{pid}/exe").LinkTarget ?? throw new ArgumentException($"cannot read the executable of process {pid}"));
        var memory = new LinuxProcessMemory(pid);
        try
        {
            return new AttachedGame(pid, module, memory, X11Display.Open(display));
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _memory.Dispose();
        _display.Dispose();
    }

    private static string? EnvironmentOf(int pid, string name)
    {
        try
        {
            var prefix = name + "=";
            return File.ReadAllText($"/proc/{pid}/environ", Encoding.UTF8).Split('\0').FirstOrDefault(e => e.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
