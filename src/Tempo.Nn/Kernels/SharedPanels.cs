namespace Tempo.Nn.Kernels;

/// <summary>
/// One operand of a parallel packed GEMM packed in full before the arithmetic, read by every thread: op(B) when the
/// threads split C by rows, op(A) when they split it by columns. Without it each thread's chunk repacked the whole
/// other operand, which cost two threads most of their gain on large square shapes.
/// </summary>
/// <remarks>
/// Layout: for each KC block of the shared dimension (starting at depth p0), the micro-panels of every row (A) or
/// column (B) in order, each depth × MR (or NR) floats, exactly as <see cref="PackedGemm.PackA"/> and
/// <see cref="PackedGemm.PackB"/> lay out one block; a block holds depth × <see cref="PaddedExtent"/> floats and
/// starts at p0 × <see cref="PaddedExtent"/>.
/// </remarks>
internal readonly unsafe struct SharedPanels
{
    public SharedPanels(float* panels, int paddedExtent, bool holdsA)
    {
        Panels = panels;
        PaddedExtent = paddedExtent;
        HoldsA = holdsA;
    }

    /// <summary>The packed operand, or null when there is none.</summary>
    public float* Panels { get; }

    /// <summary>Rows of op(A) or columns of op(B), rounded up to whole micro-panels.</summary>
    public int PaddedExtent { get; }

    /// <summary>Whether the packed operand is op(A) (else op(B)).</summary>
    public bool HoldsA { get; }

    /// <summary>Whether op(A) is shared.</summary>
    public bool SharesA => Panels != null && HoldsA;

    /// <summary>Whether op(B) is shared.</summary>
    public bool SharesB => Panels != null && !HoldsA;

    /// <summary>Floats needed for an operand of <paramref name="depth"/> × <paramref name="extent"/> with <paramref name="micro"/>-wide panels.</summary>
    public static long Floats(int depth, int extent, int micro) => (long)depth * GemmBlocking.RoundUp(extent, micro);

    /// <summary>The panels of the block starting at depth <paramref name="depth0"/> (of depth <paramref name="depth"/>), from row/column <paramref name="index0"/>.</summary>
    public float* Block(int depth0, int index0, int depth) => Panels + ((nint)depth0 * PaddedExtent) + ((nint)index0 * depth);
}
