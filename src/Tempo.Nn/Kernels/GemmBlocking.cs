namespace Tempo.Nn.Kernels;

/// <summary>Cache-blocking sizes of the packed GEMM: op(A) is packed MC×KC at a time, op(B) KC×NC at a time.</summary>
/// <param name="RowBlock">MC: rows of op(A) packed together (kept in L2).</param>
/// <param name="DepthBlock">KC: the shared dimension per pass (one B micro-panel of KC×NR stays in L1).</param>
/// <param name="ColumnBlock">NC: columns of op(B) packed together (kept in L3).</param>
internal readonly record struct GemmBlocking(int RowBlock, int DepthBlock, int ColumnBlock)
{
    /// <summary>Floats of scratch for the direct kernels (transposed or padded copies of small op(B)).</summary>
    public const int ScratchFloats = 64 * 1024;

    /// <summary>
    /// The default: a 256×32 B micro-panel (32 KB) fits L1, a 128×256 A block (128 KB) fits L2. On the Zen 5 test
    /// machine MC 64–256 and KC 192–384 measured within noise of each other.
    /// </summary>
    public static GemmBlocking Default => new(RowBlock: 128, DepthBlock: 256, ColumnBlock: 2048);

    /// <summary>Floats needed for the packed A block (rows rounded up to the widest micro-kernel).</summary>
    public int PackedAFloats => RoundUp(RowBlock, MicroKernels.MaxRows) * DepthBlock;

    /// <summary>Floats needed for the packed B block (columns rounded up to the widest micro-kernel).</summary>
    public int PackedBFloats => DepthBlock * RoundUp(ColumnBlock, MicroKernels.MaxColumns);

    /// <summary>Throws unless every size is positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(RowBlock);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DepthBlock);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ColumnBlock);
    }

    /// <summary>x rounded up to a multiple of <paramref name="multiple"/>.</summary>
    public static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}
