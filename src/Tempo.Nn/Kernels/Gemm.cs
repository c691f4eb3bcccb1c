namespace Tempo.Nn.Kernels;

/// <summary>Single-precision matrix multiply: C = op(A)·op(B) + β·C, row-major.</summary>
public static class Gemm
{
    /// <summary>Computes C (m×n, leading dimension <paramref name="ldc"/>) = op(A)·op(B) + β·C.</summary>
    /// <param name="transA">Whether A is stored k×m (transposed) rather than m×k.</param>
    /// <param name="transB">Whether B is stored n×k (transposed) rather than k×n.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">A's storage.</param>
    /// <param name="lda">A's row stride.</param>
    /// <param name="b">B's storage.</param>
    /// <param name="ldb">B's row stride.</param>
    /// <param name="c">C's storage.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="beta">0 overwrites C; 1 accumulates into it.</param>
    public static void Multiply(
        Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, float beta = 0f)
    {
        // Placeholder reference loop; the optimized kernels replace this body.
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0f;
                for (var p = 0; p < k; p++)
                {
                    var x = transA == Transpose.No ? a[(i * lda) + p] : a[(p * lda) + i];
                    var y = transB == Transpose.No ? b[(p * ldb) + j] : b[(j * ldb) + p];
                    sum += x * y;
                }

                c[(i * ldc) + j] = beta == 0f ? sum : sum + (beta * c[(i * ldc) + j]);
            }
        }
    }
}
