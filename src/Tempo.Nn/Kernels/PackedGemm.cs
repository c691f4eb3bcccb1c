using System.Runtime.CompilerServices;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>The cache-blocked GEMM for large shapes: Goto/BLIS loop nest with packed A and B panels and a register-blocked micro-kernel.</summary>
/// <remarks>
/// Loop order (Goto &amp; van de Geijn 2008): columns in NC blocks → depth in KC blocks (pack op(B) KC×NC) → rows in
/// MC blocks (pack op(A) MC×KC) → NR-wide B micro-panels → MR-tall A micro-panels → micro-kernel. Transposes are
/// handled only by the packing routines, so one micro-kernel serves every transpose form.
/// </remarks>
internal static unsafe class PackedGemm
{
    /// <summary>The deepest transposed A read in place: one panel then touches at most this many lines and pages, which L1 and the TLB hold.</summary>
    private const int InPlaceDepth = 128;

    /// <summary>Stored rows of a transposed A packed together: few enough that their lines share an L1 set without conflict (8 of 12 ways).</summary>
    private const int PackRowGroup = 8;

    /// <summary>Runs the whole problem (K ≥ 1) with <paramref name="microRows"/>×(2·width) micro-kernels.</summary>
    /// <param name="problem">The problem or one thread's chunk of it.</param>
    /// <param name="buffers">This thread's packing blocks.</param>
    /// <param name="microRows">MR of the micro-kernel (8 or 6).</param>
    /// <param name="shared">An operand already packed in full for every chunk (its rows/columns are the chunk's), or none.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOps, TVector>(in GemmProblem problem, in GemmBuffers buffers, int microRows, in SharedPanels shared)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var microColumns = 2 * TOps.Width;
        var blocking = buffers.Blocking;
        var rowBlock = Math.Max(microRows, blocking.RowBlock / microRows * microRows);
        var columnBlock = Math.Max(microColumns, blocking.ColumnBlock / microColumns * microColumns);
        var depthBlock = blocking.DepthBlock;
        var packedA = buffers.PackedA;
        var packedB = buffers.PackedB;
        var epilogue = problem.Epilogue;
        var hasEpilogue = !epilogue.IsNone;

        // With the whole depth in one pass onto a zeroed C, the micro-kernel adds a column bias and applies ReLU to its
        // sums before storing them (the same operations in the same order as afterwards); otherwise the epilogue runs
        // over each stored tile while it is still in cache.
        var inRegisters = hasEpilogue && epilogue.FitsMicroKernel && problem.Beta == 0f && problem.K <= depthBlock;
        var c = problem.C;
        var ldc = problem.Ldc;

        // A stored transposed holds each step of depth's rows side by side, which is what a packed panel holds: with a
        // short depth the micro-kernel reads them in place (one line per step, a few pages in all) instead of packing.
        var inPlaceA = problem.RowStrideA == 1 && problem.K <= InPlaceDepth;

        for (var jc = 0; jc < problem.N; jc += columnBlock)
        {
            var nc = Math.Min(columnBlock, problem.N - jc);
            for (var pc = 0; pc < problem.K; pc += depthBlock)
            {
                var kc = Math.Min(depthBlock, problem.K - pc);
                var beta = pc == 0 ? problem.Beta : 1f;
                var last = pc + kc == problem.K;
                var panelsB = packedB;
                if (shared.SharesB)
                {
                    panelsB = shared.Block(pc, jc, kc);
                }
                else
                {
                    PackB<TOps, TVector>(problem, pc, jc, kc, nc, packedB, microColumns);
                }

                for (var ic = 0; ic < problem.M; ic += rowBlock)
                {
                    var mc = Math.Min(rowBlock, problem.M - ic);
                    var panelsA = packedA;

                    // Rows of A read in place (whole panels only); the ragged last panel is packed at packedA.
                    var inPlaceRows = 0;
                    if (shared.SharesA)
                    {
                        panelsA = shared.Block(pc, ic, kc);
                    }
                    else if (inPlaceA)
                    {
                        inPlaceRows = mc / microRows * microRows;
                        if (inPlaceRows < mc)
                        {
                            PackA(problem, ic + inPlaceRows, pc, mc - inPlaceRows, kc, packedA, microRows);
                        }
                    }
                    else
                    {
                        PackA(problem, ic, pc, mc, kc, packedA, microRows);
                    }

                    for (var jr = 0; jr < nc; jr += microColumns)
                    {
                        var nr = Math.Min(microColumns, nc - jr);
                        var panelB = panelsB + (jr * kc);
                        for (var ir = 0; ir < mc; ir += microRows)
                        {
                            var mr = Math.Min(microRows, mc - ir);
                            var tile = c + ((ic + ir) * ldc) + jc + jr;
                            var inPlace = ir < inPlaceRows;
                            var panelA = inPlace ? problem.A + ic + ir + (pc * problem.ColumnStrideA) : panelsA + ((ir - inPlaceRows) * kc);
                            var strideA = inPlace ? problem.ColumnStrideA : microRows;
                            var fused = last && inRegisters;
                            var bias = fused && epilogue.Bias != null ? epilogue.Bias + jc + jr : null;
                            var relu = fused && epilogue.Activation == Activation.Relu;
                            if (microRows == 8)
                            {
                                MicroKernels.Kernel8<TOps, TVector>(kc, panelA, strideA, panelB, tile, ldc, mr, nr, beta, bias, relu);
                            }
                            else
                            {
                                MicroKernels.Kernel6<TOps, TVector>(kc, panelA, strideA, panelB, tile, ldc, mr, nr, beta, bias, relu);
                            }

                            if (last && hasEpilogue && !inRegisters)
                            {
                                epilogue.Apply<TOps, TVector>(tile, ldc, ic + ir, mr, jc + jr, nr);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Packs op(A)[row0.., depth0..] (rows×depth) into MR-row panels: panel-major, then depth, then row; pads rows with zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(in GemmProblem problem, int row0, int depth0, int rows, int depth, float* destination, int microRows)
    {
        var rowStride = problem.RowStrideA;
        var columnStride = problem.ColumnStrideA;
        var source = problem.A + (row0 * rowStride) + (depth0 * columnStride);
        var wholePanels = rows / microRows * microRows;
        if (rowStride == 1 && wholePanels > 0)
        {
            // op(A) columns are contiguous (A stored transposed): take eight stored rows at a time and deal them out
            // to every panel, so each panel receives 8 steps (a few whole lines) per visit. One stored row at a time
            // wrote 32 bytes to each panel, panels depth·MR floats apart: at a power-of-two depth those writes all fell
            // in one L1 set and missed (this pack took 2.5× as long as the other layouts'). Eight rows read at once stay
            // within L1's ways even at a power-of-two lda. The copy sizes are constants so the JIT emits vector moves.
            for (var p0 = 0; p0 < depth; p0 += PackRowGroup)
            {
                var steps = Math.Min(PackRowGroup, depth - p0);
                for (var i0 = 0; i0 < wholePanels; i0 += microRows)
                {
                    var line = source + (p0 * columnStride) + i0;
                    var target = destination + (i0 * depth) + (p0 * microRows);
                    for (var p = 0; p < steps; p++)
                    {
                        if (microRows == 8)
                        {
                            Unsafe.CopyBlockUnaligned(target + (p * 8), line + (p * columnStride), 8 * sizeof(float));
                        }
                        else
                        {
                            Unsafe.CopyBlockUnaligned(target + (p * 6), line + (p * columnStride), 6 * sizeof(float));
                        }
                    }
                }
            }
        }

        for (var i0 = rowStride == 1 ? wholePanels : 0; i0 < rows; i0 += microRows)
        {
            var panelRows = Math.Min(microRows, rows - i0);
            var panel = destination + (i0 * depth);
            var origin = source + (i0 * rowStride);
            var done = 0;
            if (columnStride == 1 && panelRows == 8 && microRows == 8 && Transpose8x8.IsSupported)
            {
                // op(A) rows are contiguous: transpose 8×8 blocks straight into the panel.
                for (; done + 8 <= depth; done += 8)
                {
                    Transpose8x8.Run(origin + done, rowStride, panel + (done * 8), 8);
                }

                if (done == depth)
                {
                    continue;
                }
            }

            if (panelRows < microRows)
            {
                new Span<float>(panel, depth * microRows).Clear();
            }

            for (var ii = 0; ii < panelRows; ii++)
            {
                var line = origin + (ii * rowStride);
                var target = panel + ii;
                if (columnStride == 1)
                {
                    for (var p = done; p < depth; p++)
                    {
                        target[p * microRows] = line[p];
                    }
                }
                else
                {
                    for (var p = done; p < depth; p++)
                    {
                        target[p * microRows] = line[p * columnStride];
                    }
                }
            }
        }
    }

    /// <summary>Packs op(B)[depth0.., column0..] (depth×columns) into NR-column panels: panel-major, then depth, then column; pads with zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<TOps, TVector>(in GemmProblem problem, int depth0, int column0, int depth, int columns, float* destination, int microColumns)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var rowStride = problem.RowStrideB;
        var columnStride = problem.ColumnStrideB;
        var source = problem.B + (depth0 * rowStride) + (column0 * columnStride);
        var width = TOps.Width;
        var wholePanels = columns / microColumns * microColumns;
        if (columnStride == 1 && wholePanels > 0)
        {
            // op(B) rows are contiguous (B not transposed): walk each stored row once, two vectors per panel.
            for (var p = 0; p < depth; p++)
            {
                var line = source + (p * rowStride);
                var target = destination + (p * microColumns);
                for (var j0 = 0; j0 < wholePanels; j0 += microColumns)
                {
                    var panel = target + (j0 * depth);
                    TOps.Store(panel, TOps.Load(line + j0));
                    TOps.Store(panel + width, TOps.Load(line + j0 + width));
                }
            }
        }

        for (var j0 = columnStride == 1 ? wholePanels : 0; j0 < columns; j0 += microColumns)
        {
            var panelColumns = Math.Min(microColumns, columns - j0);
            var panel = destination + (j0 * depth);
            var origin = source + (j0 * columnStride);
            var done = 0;
            if (rowStride == 1 && panelColumns == microColumns && microColumns % 8 == 0 && Transpose8x8.IsSupported)
            {
                // op(B) columns are contiguous (B stored transposed): transpose 8×8 blocks into the panel.
                for (; done + 8 <= depth; done += 8)
                {
                    for (var jj = 0; jj < microColumns; jj += 8)
                    {
                        Transpose8x8.Run(origin + (jj * columnStride) + done, columnStride, panel + (done * microColumns) + jj, microColumns);
                    }
                }

                if (done == depth)
                {
                    continue;
                }
            }

            if (panelColumns < microColumns)
            {
                new Span<float>(panel, depth * microColumns).Clear();
            }

            for (var jj = 0; jj < panelColumns; jj++)
            {
                var line = origin + (jj * columnStride);
                var target = panel + jj;
                if (rowStride == 1)
                {
                    for (var p = done; p < depth; p++)
                    {
                        target[p * microColumns] = line[p];
                    }
                }
                else
                {
                    for (var p = done; p < depth; p++)
                    {
                        target[p * microColumns] = line[p * rowStride];
                    }
                }
            }
        }
    }
}
