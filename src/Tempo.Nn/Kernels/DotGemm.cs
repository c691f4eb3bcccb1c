using System.Runtime.CompilerServices;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>Dot-product GEMM kernel for A·Bᵀ with few rows or few columns (batch-1 layers, narrow policy heads).</summary>
/// <remarks>
/// Requires op(A) rows and op(B) columns to be contiguous along the depth (A not transposed, B transposed), so every
/// output is a dot product of two contiguous vectors. Tiles are 4 rows × 2 columns (8 accumulators); edge tiles repeat
/// the last valid row or column and drop the duplicate results, which keeps one code path for all sizes.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class DotGemm
{
    /// <summary>Computes the problem.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOps, TVector>(in GemmProblem problem)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        int m = problem.M, n = problem.N, k = problem.K;
        var vectorDepth = k / width * width;
        var lda = problem.RowStrideA;
        var ldb = problem.ColumnStrideB;
        var epilogue = problem.Epilogue;
        var sums = stackalloc float[8];
        for (var i = 0; i < m; i += 4)
        {
            var rows = Math.Min(4, m - i);
            var a0 = problem.A + (i * lda);
            var a1 = problem.A + (Math.Min(i + 1, m - 1) * lda);
            var a2 = problem.A + (Math.Min(i + 2, m - 1) * lda);
            var a3 = problem.A + (Math.Min(i + 3, m - 1) * lda);
            for (var j = 0; j < n; j += 2)
            {
                var columns = Math.Min(2, n - j);
                var b0 = problem.B + (j * ldb);
                var b1 = problem.B + (Math.Min(j + 1, n - 1) * ldb);
                TVector s00 = TOps.Zero, s01 = TOps.Zero, s10 = TOps.Zero, s11 = TOps.Zero;
                TVector s20 = TOps.Zero, s21 = TOps.Zero, s30 = TOps.Zero, s31 = TOps.Zero;
                for (var p = 0; p < vectorDepth; p += width)
                {
                    var x0 = TOps.Load(b0 + p);
                    var x1 = TOps.Load(b1 + p);
                    var y = TOps.Load(a0 + p);
                    s00 = TOps.MultiplyAdd(y, x0, s00);
                    s01 = TOps.MultiplyAdd(y, x1, s01);
                    y = TOps.Load(a1 + p);
                    s10 = TOps.MultiplyAdd(y, x0, s10);
                    s11 = TOps.MultiplyAdd(y, x1, s11);
                    y = TOps.Load(a2 + p);
                    s20 = TOps.MultiplyAdd(y, x0, s20);
                    s21 = TOps.MultiplyAdd(y, x1, s21);
                    y = TOps.Load(a3 + p);
                    s30 = TOps.MultiplyAdd(y, x0, s30);
                    s31 = TOps.MultiplyAdd(y, x1, s31);
                }

                sums[0] = TOps.Sum(s00);
                sums[1] = TOps.Sum(s01);
                sums[2] = TOps.Sum(s10);
                sums[3] = TOps.Sum(s11);
                sums[4] = TOps.Sum(s20);
                sums[5] = TOps.Sum(s21);
                sums[6] = TOps.Sum(s30);
                sums[7] = TOps.Sum(s31);
                for (var p = vectorDepth; p < k; p++)
                {
                    sums[0] += a0[p] * b0[p];
                    sums[1] += a0[p] * b1[p];
                    sums[2] += a1[p] * b0[p];
                    sums[3] += a1[p] * b1[p];
                    sums[4] += a2[p] * b0[p];
                    sums[5] += a2[p] * b1[p];
                    sums[6] += a3[p] * b0[p];
                    sums[7] += a3[p] * b1[p];
                }

                var tile = problem.C + (i * problem.Ldc) + j;
                for (var r = 0; r < rows; r++)
                {
                    var line = tile + (r * problem.Ldc);
                    for (var q = 0; q < columns; q++)
                    {
                        var value = sums[(2 * r) + q];
                        line[q] = problem.Beta == 0f ? value : (problem.Beta * line[q]) + value;
                    }
                }
            }

            if (!epilogue.IsNone)
            {
                epilogue.Apply<TOps, TVector>(problem.C + (i * problem.Ldc), problem.Ldc, i, rows, 0, n);
            }
        }
    }
}
