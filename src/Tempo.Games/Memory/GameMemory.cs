using System.Runtime.InteropServices;

namespace Tempo.Games.Memory;

/// <summary>
/// A game's values read through pointer chains: each chain's static address is resolved once (module base + symbol
/// from the module's ELF <c>.dynsym</c>, or + offset), then every read follows the chain anew, so it keeps up with
/// objects the game recreates (Tux after a death). Reads allocate nothing.
/// </summary>
public sealed class GameMemory
{
    private readonly IProcessMemory _memory;
    private readonly PointerChainSpec[] _specs;
    private readonly ulong[] _statics;

    /// <summary>Resolves every chain's static address in <paramref name="memory"/>'s process.</summary>
    /// <exception cref="GameMemoryException">A module is not loaded or a symbol is not exported, named in the message.</exception>
    public GameMemory(IProcessMemory memory, ChainFile chains)
    {
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        ArgumentNullException.ThrowIfNull(chains);
        _specs = [.. chains.Chains];
        _statics = new ulong[_specs.Length];
        var symbolFiles = new Dictionary<string, ElfSymbols>();
        var moduleBases = new Dictionary<string, ulong>();
        for (var i = 0; i < _specs.Length; i++)
        {
            var spec = _specs[i];
            if (!moduleBases.TryGetValue(spec.Module, out var moduleBase))
            {
                moduleBase = memory.ModuleBase(spec.Module);
                moduleBases[spec.Module] = moduleBase;
            }

            if (spec.Symbol is null)
            {
                _statics[i] = moduleBase + spec.BaseOffset;
                continue;
            }

            if (!symbolFiles.TryGetValue(spec.Module, out var symbols))
            {
                symbols = ElfSymbols.Read(ResolveModuleFile(memory, spec.Module));
                symbolFiles[spec.Module] = symbols;
            }

            var value = symbols.Find(spec.Symbol)
                ?? throw new GameMemoryException($"chain '{spec.Name}': module '{spec.Module}' does not export symbol '{spec.Symbol}' (a different build? run `tempo scan`)");
            _statics[i] = symbols.AddressOf(value, moduleBase);
        }
    }

    /// <summary>The chains, in file order; <see cref="IndexOf"/> finds one by name.</summary>
    public IReadOnlyList<PointerChainSpec> Chains => _specs;

    /// <summary>The process the values are read from.</summary>
    public IProcessMemory Process => _memory;

    /// <summary>The index of the chain named <paramref name="name"/>; throws naming it when there is none.</summary>
    public int IndexOf(string name)
    {
        var index = Array.FindIndex(_specs, s => s.Name == name);
        return index >= 0 ? index : throw new GameMemoryException($"no chain named '{name}' (have: {string.Join(", ", _specs.Select(s => s.Name))})");
    }

    /// <summary>The resolved static address chain <paramref name="index"/> starts from.</summary>
    public ulong StaticAddress(int index) => _statics[index];

    /// <summary>Follows chain <paramref name="index"/> and reads its value; false when a link is unreadable (a null pointer mid-level, the process gone).</summary>
    public bool TryRead(int index, out double value) => TryRead(index, null, out _, out value);

    /// <summary>
    /// Follows chain <paramref name="index"/> once to its value's address and reads the value there. Pointers read go
    /// through <paramref name="pointers"/> when given (address → pointer read), so many chains sharing their first links,
    /// as a scan's candidates do, cost one read per link per look; the caller clears it when the game may have moved on.
    /// </summary>
    internal bool TryRead(int index, Dictionary<ulong, ulong>? pointers, out ulong address, out double value)
    {
        value = 0;
        if (!TryAddress(index, pointers, out address))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        if (!_memory.TryRead(address, bytes))
        {
            return false;
        }

        value = _specs[index].Type == ChainValueType.Float32 ? MemoryMarshal.Read<float>(bytes) : MemoryMarshal.Read<int>(bytes);
        return true;
    }

    /// <summary>Follows chain <paramref name="index"/> and reads its value; throws <see cref="GameMemoryException"/> naming the chain when a link is unreadable.</summary>
    public double Read(int index) =>
        TryRead(index, out var value) ? value : throw new GameMemoryException($"chain '{_specs[index].Name}' {_specs[index].Describe()} is unreadable in process {_memory.ProcessId}");

    /// <summary>Follows chain <paramref name="index"/> to its value's address.</summary>
    public bool TryAddress(int index, out ulong address) => TryAddress(index, null, out address);

    private bool TryAddress(int index, Dictionary<ulong, ulong>? pointers, out ulong address)
    {
        address = _statics[index];
        Span<byte> pointer = stackalloc byte[8];
        foreach (var offset in _specs[index].Offsets)
        {
            if (pointers is null || !pointers.TryGetValue(address, out var next))
            {
                if (!_memory.TryRead(address, pointer))
                {
                    return false;
                }

                next = MemoryMarshal.Read<ulong>(pointer);
                pointers?.Add(address, next);
            }

            if (next == 0)
            {
                return false;
            }

            address = next + (ulong)offset;
        }

        return true;
    }

    /// <summary>Checks every chain with an expected value: it must read within its tolerance of it.</summary>
    /// <exception cref="GameMemoryException">One line naming the chain, what it read and what was expected.</exception>
    public void Validate()
    {
        for (var i = 0; i < _specs.Length; i++)
        {
            var spec = _specs[i];
            if (spec.Expect is not { } expected)
            {
                continue;
            }

            if (!TryRead(i, out var value))
            {
                throw new GameMemoryException($"chain '{spec.Name}' {spec.Describe()} is unreadable in process {_memory.ProcessId}; expected {expected}: the chain does not fit this game build or the game is not in play (run `tempo scan`)");
            }

            if (Math.Abs(value - expected) > spec.Tolerance)
            {
                throw new GameMemoryException($"chain '{spec.Name}' {spec.Describe()} read {value} but expected {expected} ± {spec.Tolerance}: the chain does not fit this game build (run `tempo scan`)");
            }
        }
    }

    private static string ResolveModuleFile(IProcessMemory memory, string module)
    {
        // /proc/PID/root keeps the path valid for a process in another mount namespace (a container).
        var path = memory.ModulePath(module);
        var rooted = $"/proc/{memory.ProcessId}/root{path}";
        return OperatingSystem.IsLinux() && File.Exists(rooted) ? rooted : path;
    }
}
