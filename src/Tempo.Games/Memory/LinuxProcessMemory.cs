using Microsoft.Win32.SafeHandles;

namespace Tempo.Games.Memory;

/// <summary>Reads a Linux process's memory with <c>pread</c> on <c>/proc/PID/mem</c> (needs ptrace rights: root, or the same user with ptrace_scope 0).</summary>
public sealed class LinuxProcessMemory : IProcessMemory
{
    private readonly SafeFileHandle _handle;

    /// <summary>Opens process <paramref name="pid"/>'s memory; throws <see cref="GameMemoryException"/> naming the pid when it cannot.</summary>
    public LinuxProcessMemory(int pid)
    {
        ProcessId = pid;
        try
        {
            _handle = File.OpenHandle($"/proc/{pid}/mem", FileMode.Open, FileAccess.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GameMemoryException($"cannot open the memory of process {pid}: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public int ProcessId { get; }

    /// <inheritdoc/>
    public bool TryRead(ulong address, Span<byte> buffer)
    {
        if (address > long.MaxValue)
        {
            return false;
        }

        try
        {
            return RandomAccess.Read(_handle, buffer, (long)address) == buffer.Length;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public ulong ModuleBase(string module) => FindModule(module).Start;

    /// <inheritdoc/>
    public string ModulePath(string module) => FindModule(module).Path;

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();

    private MemoryRegion FindModule(string module)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        MemoryRegion? lowest = null;
        foreach (var region in MemoryRegion.ReadMaps(ProcessId))
        {
            if (Path.GetFileName(region.Path) == module && (lowest is null || region.Start < lowest.Value.Start))
            {
                lowest = region;
            }
        }

        return lowest ?? throw new GameMemoryException($"module '{module}' is not loaded in process {ProcessId}");
    }
}
