using System.Runtime.InteropServices;
using Tempo.Games.Memory;

namespace Tempo.Games.Scanning;

/// <summary>
/// Finds pointer chains from a module's exported data symbols (static singletons such as <c>Sector::s_current</c>) to
/// a target address: forward, breadth first, following every pointer in the first <see cref="MaxOffset"/> bytes of
/// each object up to <see cref="MaxDepth"/> dereferences after the static.
/// </summary>
public sealed class PointerSearch
{
    private readonly IProcessMemory _memory;
    private readonly MemoryRegion[] _writable;

    /// <summary>Prepares a search in <paramref name="memory"/>'s process.</summary>
    public PointerSearch(IProcessMemory memory, IReadOnlyList<MemoryRegion> regions)
    {
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        ArgumentNullException.ThrowIfNull(regions);
        _writable = regions.Where(r => r.IsReadable && r.IsWritable).OrderBy(r => r.Start).ToArray();
    }

    /// <summary>How far into an object an offset may reach (bytes).</summary>
    public int MaxOffset { get; init; } = 0x400;

    /// <summary>Dereferences after the static's own (0 finds the value among the statics' first objects).</summary>
    public int MaxDepth { get; init; } = 2;

    /// <summary>Every chain from <paramref name="module"/>'s data symbols to each of <paramref name="targets"/>, per target shortest first.</summary>
    /// <param name="module">The module's file name.</param>
    /// <param name="targets">The values' addresses.</param>
    /// <param name="name">The chains' name.</param>
    /// <param name="type">The values' type.</param>
    public IReadOnlyDictionary<ulong, IReadOnlyList<PointerChainSpec>> Find(string module, IReadOnlyCollection<ulong> targets, string name, ChainValueType type)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var moduleBase = _memory.ModuleBase(module);
        var symbols = ElfSymbols.Read(_memory.ModulePath(module));
        var sorted = targets.Distinct().Order().ToArray();
        var found = sorted.ToDictionary(t => t, _ => new List<PointerChainSpec>());
        var search = new Search(this, module, name, type, sorted, found);
        foreach (var symbol in symbols.DataObjects.Order(StringComparer.Ordinal))
        {
            var address = symbols.AddressOf(symbols.Find(symbol)!.Value, moduleBase);
            if (found.TryGetValue(address, out var direct))
            {
                direct.Add(new PointerChainSpec(name, module, symbol, 0, [], type));
            }

            if (TryReadPointer(address, out var first))
            {
                search.Walk(first, symbol, depth: 0);
            }
        }

        return found.ToDictionary(
            kv => kv.Key,
            kv => (IReadOnlyList<PointerChainSpec>)[.. kv.Value.OrderBy(c => c.Offsets.Count).ThenBy(c => c.Offsets.Sum(o => Math.Abs(o)))]);
    }

    private bool TryReadPointer(ulong address, out ulong pointer)
    {
        Span<byte> bytes = stackalloc byte[8];
        pointer = _memory.TryRead(address, bytes) ? MemoryMarshal.Read<ulong>(bytes) : 0;
        return IsWritableAddress(pointer);
    }

    private bool IsWritableAddress(ulong address)
    {
        if (address == 0 || (address & 7) != 0)
        {
            return false;
        }

        var lo = 0;
        var hi = _writable.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (address < _writable[mid].Start)
            {
                hi = mid - 1;
            }
            else if (address >= _writable[mid].End)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Search(PointerSearch owner, string module, string name, ChainValueType type, ulong[] targets, Dictionary<ulong, List<PointerChainSpec>> found)
    {
        private readonly List<long> _path = [];

        public void Walk(ulong objectAddress, string symbol, int depth)
        {
            // Targets inside this object's first MaxOffset bytes end a chain here.
            var index = Array.BinarySearch(targets, objectAddress);
            for (var t = index >= 0 ? index : ~index; t < targets.Length && targets[t] - objectAddress < (ulong)owner.MaxOffset; t++)
            {
                found[targets[t]].Add(new PointerChainSpec(name, module, symbol, 0, [.. _path, (long)(targets[t] - objectAddress)], type));
            }

            var block = new byte[owner.MaxOffset];
            if (depth >= owner.MaxDepth || !owner._memory.TryRead(objectAddress, block))
            {
                return;
            }

            var slots = MemoryMarshal.Cast<byte, ulong>(block);
            for (var i = 0; i < slots.Length; i++)
            {
                if (owner.IsWritableAddress(slots[i]))
                {
                    _path.Add(i * 8);
                    Walk(slots[i], symbol, depth + 1);
                    _path.RemoveAt(_path.Count - 1);
                }
            }
        }
    }
}
