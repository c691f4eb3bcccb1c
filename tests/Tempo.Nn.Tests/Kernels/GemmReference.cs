using Tempo.Nn.Kernels;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Kernels;

/// <summary>Naive double-precision GEMM and the comparison every kernel test uses.</summary>
internal static class GemmReference
{
    /// <summary>Returns (expected C, Σ|terms| per element) in double for C = op(A)·op(B) + β·C.</summary>
    public static (double[] Expected, double[] Magnitude) Compute(
        Transpose transA, Transpose transB, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc, float beta)
    {
        var expected = new double[m * n];
        var magnitude = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0, abs = 0;
                for (var p = 0; p < k; p++)
                {
                    double x = transA == Transpose.No ? a[(i * lda) + p] : a[(p * lda) + i];
                    double y = transB == Transpose.No ? b[(p * ldb) + j] : b[(j * ldb) + p];
                    sum += x * y;
                    abs += Math.Abs(x * y);
                }

                if (beta != 0f)
                {
                    sum += beta * (double)c[(i * ldc) + j];
                    abs += Math.Abs(beta * (double)c[(i * ldc) + j]);
                }

                expected[(i * n) + j] = sum;
                magnitude[(i * n) + j] = abs;
            }
        }

        return (expected, magnitude);
    }

    /// <summary>
    /// How far a float32 GEMM element may be from exact: a sum of <paramref name="terms"/> products (k, plus β·C and a
    /// bias when present) in any order and with or without FMA is within γ_terms·Σ|terms| (Higham §3.1); a tanh after it
    /// is 1-Lipschitz and adds its own <see cref="Float32Bounds.TanhRelativeAccuracy"/>·u of |tanh|, ReLU nothing.
    /// </summary>
    public static double Bound(double expected, double magnitude, int terms, bool tanh = false)
    {
        var sumBound = Float32Bounds.Gamma(terms) * magnitude;
        return tanh ? sumBound + (Float32Bounds.TanhRelativeAccuracy * Float32Bounds.Unit * (Math.Abs(expected) + sumBound)) : sumBound;
    }

    /// <summary>Asserts every element is within <see cref="Bound"/> of exact, and that padding between rows is untouched.</summary>
    public static void AssertClose(double[] expected, double[] magnitude, float[] actual, int m, int n, int ldc, int terms, string label, bool tanh = false)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var e = expected[(i * n) + j];
                var got = actual[(i * ldc) + j];
                var allowed = Bound(e, magnitude[(i * n) + j], terms, tanh);
                if (!(Math.Abs(got - e) <= allowed))
                {
                    Assert.Fail($"{label}: C[{i},{j}] = {got}, expected {e} (±{allowed}).");
                }
            }
        }
    }

    /// <summary>Uniform values in [−1, 1).</summary>
    public static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
