using Tempo.Nn.Kernels.Selection;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>Cache-blocking sizes of the packed GEMM: op(A) is packed MC×KC at a time, op(B) KC×NC at a time.</summary>
/// <param name="RowBlock">MC: rows of op(A) packed together (kept in L2).</param>
/// <param name="DepthBlock">KC: the shared dimension per pass (one B micro-panel of KC×NR stays in L1).</param>
/// <param name="ColumnBlock">NC: columns of op(B) packed together (kept in L3).</param>
public readonly record struct GemmBlocking(int RowBlock, int DepthBlock, int ColumnBlock)
{
    /// <summary>Floats of scratch for the direct kernels (transposed or padded copies of small op(B)).</summary>
    internal const int ScratchFloats = 64 * 1024;

    /// <summary>Bytes of one way of an x86 L1 data cache (64 sets of 64-byte lines, indexed within a 4 KiB page).</summary>
    private const int L1WayBytes = 4096;

    /// <summary>Floats needed for the packed A block (rows rounded up to the widest micro-kernel).</summary>
    internal int PackedAFloats => RoundUp(RowBlock, MicroKernels.MaxRows) * DepthBlock;

    /// <summary>Floats needed for the packed B block (columns rounded up to the widest micro-kernel).</summary>
    internal int PackedBFloats => DepthBlock * RoundUp(ColumnBlock, MicroKernels.MaxColumns);

    /// <summary>
    /// Block sizes for <paramref name="cpu"/>'s caches and <paramref name="path"/>'s micro-kernel, from the analytic
    /// model of Low et al. (2016): the B micro-panel (KC×NR) stays in L1 while A micro-panels (MR×KC) stream past it,
    /// so of L1's ways one is left for C and the rest are shared by the two panels in proportion MR : NR, and KC fills
    /// A's share; an MC×KC block of A takes half of L2; a KC×NC block of B half of this core's share of L3.
    /// </summary>
    /// <remarks>
    /// L1's ways are its size over 4 KiB: x86 L1 data caches are indexed within a page, 64 sets of 64-byte lines. On
    /// Zen 5 (48 KiB, 12 ways) with the 8×32 kernel this gives A 2 ways, KC 256 (B's panel 32 KiB in 8 ways): the
    /// earlier rule, B's panel in half of L1, gave KC 192, and KC 128 where the VM hid the cache sizes, which reloads
    /// each C tile twice as often.
    /// </remarks>
    /// <param name="cpu">The CPU, for its cache sizes.</param>
    /// <param name="path">The vector path, for its micro-kernel's tile.</param>
    /// <returns>The sizes, clamped to KC 64–512, MC 32–512 and NC 256–4096 (beyond those nothing measurable was gained, and memory grows).</returns>
    public static GemmBlocking FromCaches(CpuInfo cpu, SimdPath path)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        var (rows, columns) = MicroKernels.Tile(path);
        var ways = Math.Max(2, cpu.L1DataBytes / L1WayBytes);
        var waysForA = Math.Max(1, (ways - 1) * rows / (rows + columns));
        var kc = Math.Clamp(RoundDown(waysForA * L1WayBytes / (rows * sizeof(float)), 16), 64, 512);
        var mc = Math.Clamp(RoundDown(cpu.L2Bytes / 2 / (kc * sizeof(float)), 16), 32, 512);
        var l3Share = cpu.L3Bytes > 0 ? cpu.L3Bytes / Math.Max(1, cpu.L3SharedBy) : cpu.L2Bytes;
        var nc = Math.Clamp(RoundDown(l3Share / 2 / (kc * sizeof(float)), MicroKernels.MaxColumns), 256, 4096);
        return new GemmBlocking(mc, kc, nc);
    }

    /// <summary>Throws unless every size is positive.</summary>
    internal void Validate()
    {
        if (RowBlock <= 0 || DepthBlock <= 0 || ColumnBlock <= 0)
        {
            throw new ArgumentException($"GEMM blocks must be positive; got MC {RowBlock}, KC {DepthBlock}, NC {ColumnBlock}.");
        }
    }

    /// <summary>x rounded up to a multiple of <paramref name="multiple"/>.</summary>
    internal static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    private static int RoundDown(int x, int multiple) => x / multiple * multiple;
}
