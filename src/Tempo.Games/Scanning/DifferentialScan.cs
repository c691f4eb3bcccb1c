using System.Numerics;
using System.Runtime.InteropServices;
using Tempo.Games.Memory;

namespace Tempo.Games.Scanning;

/// <summary>
/// A differential scan over a process's writable memory for 4-byte values of one type. While candidates are many it
/// compares whole snapshots and keeps one bit per candidate; once at most <see cref="ListThreshold"/> are left it keeps
/// their addresses and last values and reads only those.
/// </summary>
/// <remarks>
/// Regions are those writable at <see cref="Start"/> (heap, anonymous, the modules' .data/.bss); device and shared
/// mappings (frame buffers) are skipped. Candidates are 4-byte aligned. Floats must be finite.
/// </remarks>
public sealed class DifferentialScan
{
    /// <summary>Candidates at or below which the scan switches from snapshots to individual reads.</summary>
    public const int ListThreshold = 1_000_000;

    private readonly IProcessMemory _memory;
    private readonly ChainValueType _type;
    private readonly List<MemoryRegion> _regions;
    private byte[][]? _snapshot;
    private ulong[][]? _alive;
    private long _count;
    private ulong[] _addresses = [];
    private uint[] _values = [];

    private DifferentialScan(IProcessMemory memory, ChainValueType type, List<MemoryRegion> regions, byte[][] snapshot)
    {
        _memory = memory;
        _type = type;
        _regions = regions;
        _snapshot = snapshot;
        _alive = snapshot.Select(bytes => Enumerable.Repeat(ulong.MaxValue, ((bytes.Length / 4) + 63) / 64).ToArray()).ToArray();
        _count = snapshot.Sum(bytes => (long)bytes.Length / 4);
    }

    /// <summary>The candidates left.</summary>
    public long CandidateCount => _snapshot is null ? _addresses.Length : _count;

    /// <summary>The candidates' addresses once at most <see cref="ListThreshold"/> are left; empty before.</summary>
    public IReadOnlyList<ulong> Candidates => _addresses;

    /// <summary>Whether the next <see cref="Narrow"/> compares whole snapshots.</summary>
    public bool NeedsSnapshot => _snapshot is not null;

    /// <summary>Takes the first snapshot of every writable region of <paramref name="memory"/>'s process, shared by one scan per type (the bytes are read once).</summary>
    /// <param name="memory">The process.</param>
    /// <param name="types">One scan per entry, for values of that type.</param>
    /// <param name="regions">The process's regions (<see cref="MemoryRegion.ReadMaps"/>).</param>
    public static IReadOnlyList<DifferentialScan> Start(IProcessMemory memory, IReadOnlyList<ChainValueType> types, IReadOnlyList<MemoryRegion> regions)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(regions);
        var writable = regions.Where(IsScanned).ToList();
        var snapshot = writable.Select(r => ReadRegion(memory, r)).ToArray();
        return types.Select(t => new DifferentialScan(memory, t, writable, snapshot)).ToArray();
    }

    /// <summary>Keeps the candidates whose value changed as <paramref name="change"/> says since the previous look.</summary>
    /// <param name="change">The change the step should have caused.</param>
    /// <param name="fresh">Region contents read now (<see cref="ReadAll"/>), shared by the scans of one snapshot, or null to read what is needed.</param>
    public void Narrow(ScanChange change, byte[][]? fresh = null)
    {
        if (_snapshot is { } snapshot)
        {
            NarrowSnapshot(change, snapshot, fresh ?? ReadAll());
            return;
        }

        Span<byte> bytes = stackalloc byte[4];
        var kept = 0;
        for (var c = 0; c < _addresses.Length; c++)
        {
            if (_memory.TryRead(_addresses[c], bytes) && Matches(change, _values[c], MemoryMarshal.Read<uint>(bytes)))
            {
                _addresses[kept] = _addresses[c];
                _values[kept] = MemoryMarshal.Read<uint>(bytes);
                kept++;
            }
        }

        Array.Resize(ref _addresses, kept);
        Array.Resize(ref _values, kept);
    }

    /// <summary>Reads every scanned region now, into <paramref name="reuse"/>'s arrays when given (a set no scan still holds as its snapshot).</summary>
    public byte[][] ReadAll(byte[][]? reuse = null)
    {
        var result = reuse ?? new byte[_regions.Count][];
        for (var r = 0; r < _regions.Count; r++)
        {
            var buffer = result[r] is { } b && b.Length == (int)_regions[r].Size ? b : GC.AllocateUninitializedArray<byte>((int)_regions[r].Size);
            result[r] = _memory.TryRead(_regions[r].Start, buffer) ? buffer : [];
        }

        return result;
    }

    /// <summary>The region contents the next snapshot comparison reads from (to reuse the other set for the next look).</summary>
    internal byte[][]? Snapshot => _snapshot;

    private void NarrowSnapshot(ScanChange change, byte[][] snapshot, byte[][] fresh)
    {
        long count = 0;
        for (var r = 0; r < _regions.Count; r++)
        {
            var before = MemoryMarshal.Cast<byte, uint>(snapshot[r]);
            var after = MemoryMarshal.Cast<byte, uint>(fresh[r]);
            var alive = _alive![r];
            var n = Math.Min(before.Length, after.Length);
            for (var w = 0; w < alive.Length; w++)
            {
                var bits = alive[w];
                var keep = 0UL;
                while (bits != 0)
                {
                    var bit = BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    var i = (w * 64) + bit;
                    if (i < n && Matches(change, before[i], after[i]))
                    {
                        keep |= 1UL << bit;
                    }
                }

                alive[w] = keep;
                count += BitOperations.PopCount(keep);
            }
        }

        _count = count;
        _snapshot = fresh;
        if (count > ListThreshold)
        {
            return;
        }

        _addresses = new ulong[count];
        _values = new uint[count];
        var k = 0;
        for (var r = 0; r < _regions.Count; r++)
        {
            var now = MemoryMarshal.Cast<byte, uint>(fresh[r]);
            var alive = _alive![r];
            for (var w = 0; w < alive.Length; w++)
            {
                var bits = alive[w];
                while (bits != 0)
                {
                    var i = (w * 64) + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    _addresses[k] = _regions[r].Start + ((ulong)i * 4);
                    _values[k] = now[i];
                    k++;
                }
            }
        }

        _snapshot = null;
        _alive = null;
    }

    private bool Matches(ScanChange change, uint before, uint after)
    {
        if (_type == ChainValueType.Float32)
        {
            var b = BitConverter.UInt32BitsToSingle(before);
            var a = BitConverter.UInt32BitsToSingle(after);
            if (!float.IsFinite(a) || !float.IsFinite(b))
            {
                return false;
            }

            return change switch
            {
                ScanChange.Increased => a > b,
                ScanChange.Decreased => a < b,
                ScanChange.Unchanged => before == after,
                ScanChange.Changed => before != after,
                _ => true,
            };
        }

        var bi = (int)before;
        var ai = (int)after;
        return change switch
        {
            ScanChange.Increased => ai > bi,
            ScanChange.Decreased => ai < bi,
            ScanChange.Unchanged => ai == bi,
            ScanChange.Changed => ai != bi,
            _ => true,
        };
    }

    private static bool IsScanned(MemoryRegion region) =>
        region.IsReadable && region.IsWritable && region.Size <= (1UL << 30)
        && !region.Path.StartsWith("/dev/", StringComparison.Ordinal)
        && !region.Path.StartsWith("/SYSV", StringComparison.Ordinal)
        && !region.Path.StartsWith("/memfd:", StringComparison.Ordinal)
        && region.Path is not ("[vvar]" or "[vsyscall]" or "[vdso]");

    private static byte[] ReadRegion(IProcessMemory memory, MemoryRegion region)
    {
        var bytes = GC.AllocateUninitializedArray<byte>((int)region.Size);
        return memory.TryRead(region.Start, bytes) ? bytes : [];
    }
}
