using System.Runtime.CompilerServices;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>Unpacked GEMM kernels for small and skinny problems where packing would cost as much as the arithmetic.</summary>
/// <remarks>
/// Requires op(B) rows to be contiguous (ColumnStrideB = 1). A is read in place through its two strides, so op(A) may be
/// transposed at no cost. Tiles are 4 rows × 2 vectors (8 accumulators) or, for the last rows, 1 row × 4 vectors with
/// the depth split over two accumulator sets so that batch-1 calls are not bound by FMA latency. Columns past the last
/// whole vector (narrow heads have nothing else) use masked loads and stores where the hardware has them (AVX,
/// AVX-512), otherwise a zero-padded copy of that slab of B (at most depth × width floats of scratch).
/// </remarks>
[SkipLocalsInit]
internal static unsafe class DirectGemm
{
    /// <summary>Scratch floats <see cref="Run{TOps, TVector}"/> needs for this problem at this width.</summary>
    public static long ScratchFloats(in GemmProblem problem, int width, bool paddedB) =>
        paddedB || problem.N % width == 0 ? 0 : (long)problem.K * width;

    /// <summary>Computes the problem; <paramref name="paddedB"/> says op(B)'s rows may be read up to a whole vector past column N (zeros there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOps, TVector>(in GemmProblem problem, float* scratch, bool paddedB, bool maskedEdges)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        int m = problem.M, n = problem.N, k = problem.K;
        var a = problem.A;
        nint rsa = problem.RowStrideA, csa = problem.ColumnStrideA;
        var b = problem.B;
        var ldb = problem.RowStrideB;
        var c = problem.C;
        var ldc = problem.Ldc;
        var beta = problem.Beta;
        var epilogue = problem.Epilogue;
        var hasEpilogue = !epilogue.IsNone;
        var main = n / width * width;

        // Strips of four rows onto a zeroed C add a column bias and apply ReLU to their sums before storing them (the
        // same operations in the same order as afterwards); other epilogues run over each stored strip.
        var fused = hasEpilogue && epilogue.FitsMicroKernel && beta == 0f;
        var relu = fused && epilogue.Activation == Activation.Relu;
        var bias = fused ? epilogue.Bias : null;

        var i = 0;
        for (; i + 4 <= m; i += 4)
        {
            var rowA = a + (i * rsa);
            var rowC = c + (i * ldc);
            var j = 0;
            for (; j + (2 * width) <= main; j += 2 * width)
            {
                Tile4x2<TOps, TVector>(k, rowA, rsa, csa, b + j, ldb, rowC + j, ldc, beta, bias == null ? null : bias + j, relu);
            }

            if (j < main)
            {
                Tile4x1<TOps, TVector>(k, rowA, rsa, csa, b + j, ldb, rowC + j, ldc, beta, bias == null ? null : bias + j, relu);
            }

            if (hasEpilogue && !fused)
            {
                epilogue.Apply<TOps, TVector>(rowC, ldc, i, 4, 0, main);
            }
        }

        for (; i < m; i++)
        {
            var rowA = a + (i * rsa);
            var rowC = c + (i * ldc);
            var j = 0;
            for (; j + (4 * width) <= main; j += 4 * width)
            {
                Tile1x4<TOps, TVector>(k, rowA, csa, b + j, ldb, rowC + j, beta);
            }

            for (; j < main; j += width)
            {
                Tile1x1<TOps, TVector>(k, rowA, csa, b + j, ldb, rowC + j, beta);
            }

            if (hasEpilogue)
            {
                epilogue.Apply<TOps, TVector>(rowC, ldc, i, 1, 0, main);
            }
        }

        if (main < n)
        {
            if (maskedEdges && TOps.HasMaskedMemory)
            {
                MaskedTail<TOps, TVector>(problem, main);
            }
            else
            {
                Tail<TOps, TVector>(problem, main, scratch, paddedB);
            }
        }
    }

    /// <summary>Columns [start, N) (fewer than one vector) with masked loads and stores of B and C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaskedTail<TOps, TVector>(in GemmProblem problem, int start)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var columns = problem.N - start;
        var mask = TOps.FirstLanes(columns);
        int m = problem.M, k = problem.K;
        nint rsa = problem.RowStrideA, csa = problem.ColumnStrideA, ldb = problem.RowStrideB, ldc = problem.Ldc;
        var b = problem.B + start;
        var beta = problem.Beta;
        var epilogue = problem.Epilogue;
        var i = 0;
        for (; i + 4 <= m; i += 4)
        {
            var a0 = problem.A + (i * rsa);
            var a1 = a0 + rsa;
            var a2 = a1 + rsa;
            var a3 = a2 + rsa;
            TVector c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
            var row = b;
            for (var p = k; p > 0; p--)
            {
                var x = TOps.LoadMasked(row, mask);
                c0 = TOps.MultiplyAdd(TOps.Broadcast(*a0), x, c0);
                c1 = TOps.MultiplyAdd(TOps.Broadcast(*a1), x, c1);
                c2 = TOps.MultiplyAdd(TOps.Broadcast(*a2), x, c2);
                c3 = TOps.MultiplyAdd(TOps.Broadcast(*a3), x, c3);
                a0 += csa;
                a1 += csa;
                a2 += csa;
                a3 += csa;
                row += ldb;
            }

            var tile = problem.C + (i * ldc) + start;
            StoreMasked<TOps, TVector>(tile, c0, beta, mask);
            StoreMasked<TOps, TVector>(tile + ldc, c1, beta, mask);
            StoreMasked<TOps, TVector>(tile + (2 * ldc), c2, beta, mask);
            StoreMasked<TOps, TVector>(tile + (3 * ldc), c3, beta, mask);

            if (!epilogue.IsNone)
            {
                epilogue.Apply<TOps, TVector>(tile, ldc, i, 4, start, columns);
            }
        }

        for (; i < m; i++)
        {
            // One row: split the depth over four accumulators so the FMA chain latency does not dominate.
            var a = problem.A + (i * rsa);
            TVector c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
            var row = b;
            var p = 0;
            for (; p + 4 <= k; p += 4)
            {
                c0 = TOps.MultiplyAdd(TOps.Broadcast(*a), TOps.LoadMasked(row, mask), c0);
                c1 = TOps.MultiplyAdd(TOps.Broadcast(a[csa]), TOps.LoadMasked(row + ldb, mask), c1);
                c2 = TOps.MultiplyAdd(TOps.Broadcast(a[2 * csa]), TOps.LoadMasked(row + (2 * ldb), mask), c2);
                c3 = TOps.MultiplyAdd(TOps.Broadcast(a[3 * csa]), TOps.LoadMasked(row + (3 * ldb), mask), c3);
                a += 4 * csa;
                row += 4 * ldb;
            }

            for (; p < k; p++)
            {
                c0 = TOps.MultiplyAdd(TOps.Broadcast(*a), TOps.LoadMasked(row, mask), c0);
                a += csa;
                row += ldb;
            }

            var tile = problem.C + (i * ldc) + start;
            StoreMasked<TOps, TVector>(tile, TOps.Add(TOps.Add(c0, c1), TOps.Add(c2, c3)), beta, mask);
            if (!epilogue.IsNone)
            {
                epilogue.Apply<TOps, TVector>(tile, ldc, i, 1, start, columns);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreMasked<TOps, TVector>(float* c, TVector value, float beta, TVector mask)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        if (beta != 0f)
        {
            value = TOps.MultiplyAdd(TOps.LoadMasked(c, mask), TOps.Broadcast(beta), value);
        }

        TOps.StoreMasked(c, value, mask);
    }

    /// <summary>Columns [start, N) (fewer than one vector): computed from a zero-padded slab into a temporary, then merged with β.</summary>
    private static void Tail<TOps, TVector>(in GemmProblem problem, int start, float* scratch, bool paddedB)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        var columns = problem.N - start;
        var k = problem.K;
        float* slab;
        nint ldSlab;
        if (paddedB)
        {
            slab = problem.B + start;
            ldSlab = problem.RowStrideB;
        }
        else
        {
            slab = scratch;
            ldSlab = width;
            for (var p = 0; p < k; p++)
            {
                var source = problem.B + (p * problem.RowStrideB) + start;
                var target = slab + (p * width);
                var j = 0;
                for (; j < columns; j++)
                {
                    target[j] = source[j];
                }

                for (; j < width; j++)
                {
                    target[j] = 0f;
                }
            }
        }

        var temporary = stackalloc float[4 * MicroKernels.MaxColumns];
        var epilogue = problem.Epilogue;
        for (var i = 0; i < problem.M; i += 4)
        {
            var rows = Math.Min(4, problem.M - i);
            var rowA = problem.A + (i * problem.RowStrideA);
            if (rows == 4)
            {
                Tile4x1<TOps, TVector>(k, rowA, problem.RowStrideA, problem.ColumnStrideA, slab, ldSlab, temporary, MicroKernels.MaxColumns, 0f, null, false);
            }
            else
            {
                for (var r = 0; r < rows; r++)
                {
                    Tile1x1<TOps, TVector>(k, rowA + (r * problem.RowStrideA), problem.ColumnStrideA, slab, ldSlab, temporary + (r * MicroKernels.MaxColumns), 0f);
                }
            }

            var tile = problem.C + (i * problem.Ldc) + start;
            MicroKernels.StorePartial(temporary, tile, problem.Ldc, rows, columns, problem.Beta);
            if (!epilogue.IsNone)
            {
                epilogue.Apply<TOps, TVector>(tile, problem.Ldc, i, rows, start, columns);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TOps, TVector>(float* c, TVector value, float beta)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        if (beta == 0f)
        {
            TOps.Store(c, value);
        }
        else if (beta == 1f)
        {
            TOps.Store(c, TOps.Add(TOps.Load(c), value));
        }
        else
        {
            TOps.Store(c, TOps.MultiplyAdd(TOps.Load(c), TOps.Broadcast(beta), value));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2<TOps, TVector>(int k, float* a, nint rsa, nint csa, float* b, nint ldb, float* c, nint ldc, float beta, float* bias, bool relu)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        TVector c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero;
        TVector c20 = TOps.Zero, c21 = TOps.Zero, c30 = TOps.Zero, c31 = TOps.Zero;
        float* a0 = a, a1 = a + rsa, a2 = a + (2 * rsa), a3 = a + (3 * rsa);
        for (var p = k; p > 0; p--)
        {
            var b0 = TOps.Load(b);
            var b1 = TOps.Load(b + width);
            var x = TOps.Broadcast(*a0);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            c01 = TOps.MultiplyAdd(x, b1, c01);
            x = TOps.Broadcast(*a1);
            c10 = TOps.MultiplyAdd(x, b0, c10);
            c11 = TOps.MultiplyAdd(x, b1, c11);
            x = TOps.Broadcast(*a2);
            c20 = TOps.MultiplyAdd(x, b0, c20);
            c21 = TOps.MultiplyAdd(x, b1, c21);
            x = TOps.Broadcast(*a3);
            c30 = TOps.MultiplyAdd(x, b0, c30);
            c31 = TOps.MultiplyAdd(x, b1, c31);
            a0 += csa;
            a1 += csa;
            a2 += csa;
            a3 += csa;
            b += ldb;
        }

        if (bias != null)
        {
            var bias0 = TOps.Load(bias);
            var bias1 = TOps.Load(bias + width);
            c00 = TOps.Add(c00, bias0);
            c01 = TOps.Add(c01, bias1);
            c10 = TOps.Add(c10, bias0);
            c11 = TOps.Add(c11, bias1);
            c20 = TOps.Add(c20, bias0);
            c21 = TOps.Add(c21, bias1);
            c30 = TOps.Add(c30, bias0);
            c31 = TOps.Add(c31, bias1);
        }

        if (relu)
        {
            c00 = TOps.Max(c00, TOps.Zero);
            c01 = TOps.Max(c01, TOps.Zero);
            c10 = TOps.Max(c10, TOps.Zero);
            c11 = TOps.Max(c11, TOps.Zero);
            c20 = TOps.Max(c20, TOps.Zero);
            c21 = TOps.Max(c21, TOps.Zero);
            c30 = TOps.Max(c30, TOps.Zero);
            c31 = TOps.Max(c31, TOps.Zero);
        }

        MicroKernels.StoreRow<TOps, TVector>(c, c00, c01, beta);
        MicroKernels.StoreRow<TOps, TVector>(c + ldc, c10, c11, beta);
        MicroKernels.StoreRow<TOps, TVector>(c + (2 * ldc), c20, c21, beta);
        MicroKernels.StoreRow<TOps, TVector>(c + (3 * ldc), c30, c31, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1<TOps, TVector>(int k, float* a, nint rsa, nint csa, float* b, nint ldb, float* c, nint ldc, float beta, float* bias, bool relu)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        TVector c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
        float* a0 = a, a1 = a + rsa, a2 = a + (2 * rsa), a3 = a + (3 * rsa);
        for (var p = k; p > 0; p--)
        {
            var b0 = TOps.Load(b);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(*a0), b0, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(*a1), b0, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(*a2), b0, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(*a3), b0, c3);
            a0 += csa;
            a1 += csa;
            a2 += csa;
            a3 += csa;
            b += ldb;
        }

        if (bias != null)
        {
            var bias0 = TOps.Load(bias);
            c0 = TOps.Add(c0, bias0);
            c1 = TOps.Add(c1, bias0);
            c2 = TOps.Add(c2, bias0);
            c3 = TOps.Add(c3, bias0);
        }

        if (relu)
        {
            c0 = TOps.Max(c0, TOps.Zero);
            c1 = TOps.Max(c1, TOps.Zero);
            c2 = TOps.Max(c2, TOps.Zero);
            c3 = TOps.Max(c3, TOps.Zero);
        }

        Store<TOps, TVector>(c, c0, beta);
        Store<TOps, TVector>(c + ldc, c1, beta);
        Store<TOps, TVector>(c + (2 * ldc), c2, beta);
        Store<TOps, TVector>(c + (3 * ldc), c3, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x4<TOps, TVector>(int k, float* a, nint csa, float* b, nint ldb, float* c, float beta)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        TVector c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
        TVector d0 = TOps.Zero, d1 = TOps.Zero, d2 = TOps.Zero, d3 = TOps.Zero;
        var p = 0;
        for (; p + 2 <= k; p += 2)
        {
            // Two depth steps into two accumulator sets: eight independent FMA chains hide the FMA latency.
            var x = TOps.Broadcast(*a);
            c0 = TOps.MultiplyAdd(x, TOps.Load(b), c0);
            c1 = TOps.MultiplyAdd(x, TOps.Load(b + width), c1);
            c2 = TOps.MultiplyAdd(x, TOps.Load(b + (2 * width)), c2);
            c3 = TOps.MultiplyAdd(x, TOps.Load(b + (3 * width)), c3);
            var y = TOps.Broadcast(a[csa]);
            var next = b + ldb;
            d0 = TOps.MultiplyAdd(y, TOps.Load(next), d0);
            d1 = TOps.MultiplyAdd(y, TOps.Load(next + width), d1);
            d2 = TOps.MultiplyAdd(y, TOps.Load(next + (2 * width)), d2);
            d3 = TOps.MultiplyAdd(y, TOps.Load(next + (3 * width)), d3);
            a += 2 * csa;
            b += 2 * ldb;
        }

        if (p < k)
        {
            var x = TOps.Broadcast(*a);
            c0 = TOps.MultiplyAdd(x, TOps.Load(b), c0);
            c1 = TOps.MultiplyAdd(x, TOps.Load(b + width), c1);
            c2 = TOps.MultiplyAdd(x, TOps.Load(b + (2 * width)), c2);
            c3 = TOps.MultiplyAdd(x, TOps.Load(b + (3 * width)), c3);
        }

        MicroKernels.StoreRow<TOps, TVector>(c, TOps.Add(c0, d0), TOps.Add(c1, d1), beta);
        MicroKernels.StoreRow<TOps, TVector>(c + (2 * width), TOps.Add(c2, d2), TOps.Add(c3, d3), beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x1<TOps, TVector>(int k, float* a, nint csa, float* b, nint ldb, float* c, float beta)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        TVector c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
        var p = 0;
        for (; p + 4 <= k; p += 4)
        {
            c0 = TOps.MultiplyAdd(TOps.Broadcast(*a), TOps.Load(b), c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(a[csa]), TOps.Load(b + ldb), c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(a[2 * csa]), TOps.Load(b + (2 * ldb)), c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(a[3 * csa]), TOps.Load(b + (3 * ldb)), c3);
            a += 4 * csa;
            b += 4 * ldb;
        }

        for (; p < k; p++)
        {
            c0 = TOps.MultiplyAdd(TOps.Broadcast(*a), TOps.Load(b), c0);
            a += csa;
            b += ldb;
        }

        Store<TOps, TVector>(c, TOps.Add(TOps.Add(c0, c1), TOps.Add(c2, c3)), beta);
    }
}
