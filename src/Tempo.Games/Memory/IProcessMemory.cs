namespace Tempo.Games.Memory;

/// <summary>Reads another process's memory (<c>/proc/PID/mem</c> on Linux; ReadProcessMemory on Windows).</summary>
public interface IProcessMemory : IDisposable
{
    /// <summary>The process id.</summary>
    int ProcessId { get; }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="address"/>; false when the memory is not readable (unmapped, or the process is gone). Allocates nothing.</summary>
    bool TryRead(ulong address, Span<byte> buffer);

    /// <summary>The base address of the module whose file name is <paramref name="module"/> (e.g. "supertux2"); throws naming the module when it is not loaded.</summary>
    ulong ModuleBase(string module);

    /// <summary>The path of the loaded module's file, to read its symbols.</summary>
    string ModulePath(string module);
}
