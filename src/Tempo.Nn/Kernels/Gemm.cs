using System.Runtime.CompilerServices;
using Tempo.Nn.Kernels.Selection;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>Single-precision matrix multiply: C = op(A)·op(B) + β·C, row-major.</summary>
/// <remarks>
/// Small and skinny shapes (batch-1 layers, narrow heads, N ≤ 64 with a small B) run unpacked "direct" kernels with
/// a few tens of nanoseconds of overhead; large shapes run a cache-blocked, packed kernel. Vector512 is used where
/// AVX-512 exists, else Vector256, Vector128 or plain scalar code. Without a <see cref="KernelParallelism"/> the
/// call runs on the calling thread and rents any packing memory from a kernel pool that never trims (<see cref="KernelScratch"/>)
/// for its duration; with one, it uses that instance's scratch and, for large shapes, its threads.
/// C must not overlap A or B. At batch 1 the A·B form is the fastest (weights stored in×out): A·Bᵀ runs as dot products,
/// which cost about 1.3–3× more when the shared dimension is short.
/// </remarks>
public static unsafe class Gemm
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
    /// <param name="beta">0 overwrites C (whatever it held, NaN included); 1 accumulates into it.</param>
    /// <param name="parallelism">Threads and scratch to use, or null for the calling thread with pooled scratch.</param>
    public static void Multiply(
        Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, float beta = 0f,
        KernelParallelism? parallelism = null) =>
        Multiply(KernelSelection.Current.Path, GemmStrategy.Auto, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, beta, default, Activation.None, parallelism);

    /// <summary>
    /// Computes C = activation(op(A)·op(B) + bias), with the bias (one value per column of C, or empty) and the activation
    /// applied to each output tile while it is still in cache: the fused forward of a linear layer.
    /// </summary>
    /// <param name="transA">Whether A is stored k×m (transposed) rather than m×k.</param>
    /// <param name="transB">Whether B is stored n×k (transposed) rather than k×n.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">A's storage.</param>
    /// <param name="lda">A's row stride.</param>
    /// <param name="b">B's storage.</param>
    /// <param name="ldb">B's row stride.</param>
    /// <param name="bias">n values added to every row of C, or empty for none.</param>
    /// <param name="activation">The nonlinearity applied after the bias.</param>
    /// <param name="c">C's storage; overwritten.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="parallelism">Threads and scratch to use, or null for the calling thread with pooled scratch.</param>
    public static void MultiplyBiasActivation(
        Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> bias, Activation activation,
        Span<float> c, int ldc, KernelParallelism? parallelism = null)
    {
        if (!bias.IsEmpty && bias.Length != n)
        {
            KernelThrow.LengthMismatch(nameof(bias), bias.Length, n);
        }

        Multiply(KernelSelection.Current.Path, GemmStrategy.Auto, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, 0f, bias, activation, parallelism);
    }

    /// <summary>The validating entry point behind the public overloads, with the vector path and kernel family selectable for tests.</summary>
    internal static void Multiply(
        SimdPath path, GemmStrategy strategy, Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, float beta,
        ReadOnlySpan<float> bias, Activation activation, KernelParallelism? parallelism)
    {
        Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if ((uint)activation > (uint)Activation.Tanh)
        {
            KernelThrow.Invalid(nameof(activation), activation, "Unknown activation.");
        }

        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            var problem = new GemmProblem
            {
                A = pa,
                RowStrideA = transA == Transpose.No ? lda : 1,
                ColumnStrideA = transA == Transpose.No ? 1 : lda,
                B = pb,
                RowStrideB = transB == Transpose.No ? ldb : 1,
                ColumnStrideB = transB == Transpose.No ? 1 : ldb,
                C = pc,
                Ldc = ldc,
                M = m,
                N = n,
                K = k,
                Beta = beta,
                Epilogue = new GemmEpilogue(bias.IsEmpty ? null : pbias, biasPerRow: false, activation),
            };
            GemmCore.Execute(path, strategy, problem, parallelism);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Validate(
        Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        if ((m | n | k) < 0)
        {
            KernelThrow.Negative(m < 0 ? nameof(m) : n < 0 ? nameof(n) : nameof(k), m < 0 ? m : n < 0 ? n : k);
        }

        if ((uint)transA > (uint)Transpose.Yes || (uint)transB > (uint)Transpose.Yes)
        {
            KernelThrow.Invalid((uint)transA > (uint)Transpose.Yes ? nameof(transA) : nameof(transB), (uint)transA > (uint)Transpose.Yes ? transA : transB, "Unknown Transpose value.");
        }

        CheckOperand(nameof(a), nameof(lda), a.Length, lda, transA == Transpose.No ? m : k, transA == Transpose.No ? k : m, transA == Transpose.No ? "m×k A" : "k×m A (transposed)");
        CheckOperand(nameof(b), nameof(ldb), b.Length, ldb, transB == Transpose.No ? k : n, transB == Transpose.No ? n : k, transB == Transpose.No ? "k×n B" : "n×k B (transposed)");
        CheckOperand(nameof(c), nameof(ldc), c.Length, ldc, m, n, "m×n C");
        if (m != 0 && n != 0 && (c.Overlaps(a) || c.Overlaps(b)))
        {
            KernelThrow.Invalid(nameof(c), null, "C must not overlap A or B.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckOperand(string name, string strideName, int length, int stride, int rows, int columns, string what)
    {
        if (stride < Math.Max(1, columns))
        {
            KernelThrow.LeadingDimension(strideName, stride, Math.Max(1, columns), $"the row length of {what}");
        }

        if (rows != 0 && columns != 0 && length < (((long)rows - 1) * stride) + columns)
        {
            KernelThrow.TooShort(name, length, (((long)rows - 1) * stride) + columns, $"a {rows}×{columns} {what} with row stride {stride}");
        }
    }
}
