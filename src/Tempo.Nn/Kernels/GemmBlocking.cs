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

    /// <summary>Floats needed for the packed A block (rows rounded up to the widest micro-kernel).</summary>
    internal int PackedAFloats => RoundUp(RowBlock, MicroKernels.MaxRows) * DepthBlock;

    /// <summary>Floats needed for the packed B block (columns rounded up to the widest micro-kernel).</summary>
    internal int PackedBFloats => DepthBlock * RoundUp(ColumnBlock, MicroKernels.MaxColumns);

    /// <summary>
    /// Block sizes for <paramref name="cpu"/>'s caches and <paramref name="path"/>'s micro-kernel (Low et al., 2016):
    /// KC so that a KC×NR micro-panel of B fills half of L1 (the other half streams A and C), MC so that an MC×KC block
    /// of A fills half of L2, NC so that a KC×NC block of B fills half of this core's share of L3.
    /// </summary>
    /// <param name="cpu">The CPU, for its cache sizes.</param>
    /// <param name="path">The vector path, for its micro-kernel's tile.</param>
    /// <returns>The sizes, clamped to KC 64–512, MC 32–512 and NC 256–4096 (beyond those nothing measurable was gained, and memory grows).</returns>
    public static GemmBlocking FromCaches(CpuInfo cpu, SimdPath path)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        var (_, columns) = MicroKernels.Tile(path);
        var kc = Math.Clamp(RoundDown(cpu.L1DataBytes / 2 / (columns * sizeof(float)), 16), 64, 512);
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
