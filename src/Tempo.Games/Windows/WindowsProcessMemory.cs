using System.Diagnostics;
using System.Runtime.Versioning;
using Tempo.Games.Memory;

namespace Tempo.Games.Windows;

/// <summary>
/// Reads a Windows process's memory with ReadProcessMemory. Chains there start from a module offset ("base" in the chain
/// file): <see cref="ElfSymbols"/> reads ELF only, and <see cref="ModulePath"/> is a PE file. Untested in this repository's CI.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed unsafe class WindowsProcessMemory : IProcessMemory
{
    private readonly nint _process;

    /// <summary>Opens process <paramref name="pid"/> for reading; throws <see cref="GameMemoryException"/> naming the pid when it cannot.</summary>
    public WindowsProcessMemory(int pid)
    {
        if (!OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("WindowsProcessMemory needs Windows; on Linux use LinuxProcessMemory");
        }

        ProcessId = pid;
        _process = Win32Native.OpenProcess(Win32Native.ProcessVmRead | Win32Native.ProcessQueryInformation, false, pid);
        if (_process == 0)
        {
            throw new GameMemoryException($"cannot open the memory of process {pid} (error {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }
    }

    /// <inheritdoc/>
    public int ProcessId { get; }

    /// <inheritdoc/>
    public bool TryRead(ulong address, Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            return Win32Native.ReadProcessMemory(_process, (nint)address, bytes, (nuint)buffer.Length, out var read) && read == (nuint)buffer.Length;
        }
    }

    /// <inheritdoc/>
    public ulong ModuleBase(string module) => (ulong)FindModule(module).BaseAddress;

    /// <inheritdoc/>
    public string ModulePath(string module) => FindModule(module).FileName;

    /// <inheritdoc/>
    public void Dispose() => Win32Native.CloseHandle(_process);

    private ProcessModule FindModule(string module)
    {
        using var process = Process.GetProcessById(ProcessId);
        foreach (ProcessModule candidate in process.Modules)
        {
            if (string.Equals(candidate.ModuleName, module, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        throw new GameMemoryException($"module '{module}' is not loaded in process {ProcessId}");
    }
}
