using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>Dot-product GEMM kernel for A·Bᵀ with few rows or few columns (batch-1 layers, narrow policy heads).</summary>
/// <remarks>
/// Requires op(A) rows and op(B) columns to be contiguous along the depth (A not transposed, B transposed), so every
/// output is a dot product of two contiguous vectors. Tiles are 4 rows × 2 columns (8 accumulators); edge tiles repeat
/// the last valid column and drop the duplicate results; leftover rows use 1 row × 8 column tiles, which keeps one code path for all sizes.
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
        if (k < width)
        {
            if (width >= 8 && Avx2.IsSupported && (long)problem.ColumnStrideB * 8 < int.MaxValue)
            {
                SmallDepthGather(problem);
            }
            else
            {
                SmallDepth(problem);
            }

            return;
        }

        var sums = stackalloc float[8];
        var i = 0;
        for (; i + 4 <= m; i += 4)
        {
            var a0 = problem.A + (i * lda);
            for (var j = 0; j < n; j += 2)
            {
                var columns = Math.Min(2, n - j);
                var b0 = problem.B + (j * ldb);
                var b1 = problem.B + (Math.Min(j + 1, n - 1) * ldb);
                Tile4x2<TOps, TVector>(k, vectorDepth, a0, lda, b0, b1, sums);
                Store(problem.C + (i * problem.Ldc) + j, problem.Ldc, sums, 4, columns, 2, problem.Beta);
            }

            if (!epilogue.IsNone)
            {
                epilogue.Apply<TOps, TVector>(problem.C + (i * problem.Ldc), problem.Ldc, i, 4, 0, n);
            }
        }

        for (; i < m; i++)
        {
            var a0 = problem.A + (i * lda);
            var target = problem.C + (i * problem.Ldc);
            for (var j = 0; j < n; j += 8)
            {
                var columns = Math.Min(8, n - j);
                var b = problem.B + (j * ldb);
                var last = problem.B + ((n - 1) * ldb);
                Tile1x8<TOps, TVector>(
                    k, vectorDepth, a0, b, Clamp(b + ldb, last), Clamp(b + (2 * ldb), last), Clamp(b + (3 * ldb), last),
                    Clamp(b + (4 * ldb), last), Clamp(b + (5 * ldb), last), Clamp(b + (6 * ldb), last), Clamp(b + (7 * ldb), last),
                    out var low, out var high);
                if (columns == 8)
                {
                    if (problem.Beta != 0f)
                    {
                        var beta = Vector128.Create(problem.Beta);
                        low = Vector128.MultiplyAddEstimate(Vector128.Load(target + j), beta, low);
                        high = Vector128.MultiplyAddEstimate(Vector128.Load(target + j + 4), beta, high);
                    }

                    low.Store(target + j);
                    high.Store(target + j + 4);
                }
                else
                {
                    low.Store(sums);
                    high.Store(sums + 4);
                    Store(target + j, problem.Ldc, sums, 1, columns, 8, problem.Beta);
                }
            }

            if (!epilogue.IsNone)
            {
                epilogue.Apply<TOps, TVector>(target, problem.Ldc, i, 1, 0, n);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Clamp(float* pointer, float* last) => pointer < last ? pointer : last;

    /// <summary>
    /// Depth shorter than one vector with AVX2: eight outputs at a time, gathering column p of eight stored B rows per
    /// step (B's rows are only a few floats apart, so the gathers hit one or two cache lines).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SmallDepthGather(in GemmProblem problem)
    {
        int m = problem.M, n = problem.N, k = problem.K;
        var ldb = (int)problem.ColumnStrideB;
        var index = Vector256<int>.Indices * ldb;
        var beta = problem.Beta;
        for (var i = 0; i < m; i++)
        {
            var a = problem.A + (i * problem.RowStrideA);
            var c = problem.C + (i * problem.Ldc);
            for (var j = 0; j < n; j += 8)
            {
                var mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(n - j)).AsSingle();
                var b = problem.B + ((nint)j * ldb);
                var sum = Vector256<float>.Zero;
                for (var p = 0; p < k; p++)
                {
                    var column = Avx2.GatherMaskVector256(Vector256<float>.Zero, b + p, index, mask, 4);
                    sum = Vector256.MultiplyAddEstimate(Vector256.Create(a[p]), column, sum);
                }

                if (beta != 0f)
                {
                    sum = Vector256.MultiplyAddEstimate(Avx.MaskLoad(c + j, mask), Vector256.Create(beta), sum);
                }

                Avx.MaskStore(c + j, mask, sum);
            }

            if (!problem.Epilogue.IsNone)
            {
                problem.Epilogue.Apply(Simd.SimdPath.Vector256, c, problem.Ldc, i, 1, 0, n);
            }
        }
    }

    /// <summary>Depth shorter than one vector (e.g. the 4 inputs of a CartPole policy): plain dot products in registers.</summary>
    private static void SmallDepth(in GemmProblem problem)
    {
        int m = problem.M, n = problem.N, k = problem.K;
        var ldb = problem.ColumnStrideB;
        for (var i = 0; i < m; i++)
        {
            var a = problem.A + (i * problem.RowStrideA);
            var c = problem.C + (i * problem.Ldc);
            var b = problem.B;
            for (var j = 0; j < n; j++, b += ldb)
            {
                var sum = 0f;
                for (var p = 0; p < k; p++)
                {
                    sum = MathF.FusedMultiplyAdd(a[p], b[p], sum);
                }

                c[j] = problem.Beta == 0f ? sum : (problem.Beta * c[j]) + sum;
            }

            if (!problem.Epilogue.IsNone)
            {
                problem.Epilogue.Apply(Simd.SimdPath.Scalar, c, problem.Ldc, i, 1, 0, n);
            }
        }
    }

    /// <summary>Dot products of rows a, a + lda, a + 2·lda, a + 3·lda with b0 and b1 into sums[2·row + column].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2<TOps, TVector>(int k, int vectorDepth, float* a, nint lda, float* b0, float* b1, float* sums)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        float* a0 = a, a1 = a + lda, a2 = a + (2 * lda), a3 = a + (3 * lda);
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

        if (vectorDepth == 0)
        {
            new Span<float>(sums, 8).Clear();
        }
        else
        {
            sums[0] = TOps.Sum(s00);
            sums[1] = TOps.Sum(s01);
            sums[2] = TOps.Sum(s10);
            sums[3] = TOps.Sum(s11);
            sums[4] = TOps.Sum(s20);
            sums[5] = TOps.Sum(s21);
            sums[6] = TOps.Sum(s30);
            sums[7] = TOps.Sum(s31);
        }
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
    }

    /// <summary>Dot products of row a with b0 … b7 as [a·b0 … a·b3] and [a·b4 … a·b7]; eight independent chains hide the FMA latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1x8<TOps, TVector>(
        int k, int vectorDepth, float* a, float* b0, float* b1, float* b2, float* b3, float* b4, float* b5, float* b6, float* b7,
        out Vector128<float> low, out Vector128<float> high)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        TVector s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
        TVector s4 = TOps.Zero, s5 = TOps.Zero, s6 = TOps.Zero, s7 = TOps.Zero;
        for (var p = 0; p < vectorDepth; p += width)
        {
            var y = TOps.Load(a + p);
            s0 = TOps.MultiplyAdd(y, TOps.Load(b0 + p), s0);
            s1 = TOps.MultiplyAdd(y, TOps.Load(b1 + p), s1);
            s2 = TOps.MultiplyAdd(y, TOps.Load(b2 + p), s2);
            s3 = TOps.MultiplyAdd(y, TOps.Load(b3 + p), s3);
            s4 = TOps.MultiplyAdd(y, TOps.Load(b4 + p), s4);
            s5 = TOps.MultiplyAdd(y, TOps.Load(b5 + p), s5);
            s6 = TOps.MultiplyAdd(y, TOps.Load(b6 + p), s6);
            s7 = TOps.MultiplyAdd(y, TOps.Load(b7 + p), s7);
        }

        low = TOps.Sum4(s0, s1, s2, s3);
        high = TOps.Sum4(s4, s5, s6, s7);
        for (var p = vectorDepth; p < k; p++)
        {
            var x = a[p];
            low += Vector128.Create(x * b0[p], x * b1[p], x * b2[p], x * b3[p]);
            high += Vector128.Create(x * b4[p], x * b5[p], x * b6[p], x * b7[p]);
        }
    }

    /// <summary>Writes the valid rows×columns of a sums tile (row stride <paramref name="stride"/>) into C with β.</summary>
    private static void Store(float* c, nint ldc, float* sums, int rows, int columns, int stride, float beta)
    {
        for (var r = 0; r < rows; r++)
        {
            var line = c + (r * ldc);
            for (var q = 0; q < columns; q++)
            {
                var value = sums[(stride * r) + q];
                line[q] = beta == 0f ? value : (beta * line[q]) + value;
            }
        }
    }
}
