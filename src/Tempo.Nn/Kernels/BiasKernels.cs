using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Tempo.Nn.Kernels.Selection;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>Bias helpers for row-major activations (rows = batch, columns = features): add a bias, and its gradient.</summary>
public static unsafe class BiasKernels
{
    /// <summary>Adds bias[j] to every element of column j of the rows×columns matrix, in place.</summary>
    public static void AddToColumns(Span<float> matrix, int rows, int columns, ReadOnlySpan<float> bias)
    {
        CheckMatrix(matrix.Length, rows, columns);
        if (bias.Length != columns)
        {
            KernelThrow.LengthMismatch(nameof(bias), bias.Length, columns);
        }

        fixed (float* m = matrix, b = bias)
        {
            var epilogue = new GemmEpilogue(b, biasPerRow: false, Activation.None);
            epilogue.Apply(KernelSelection.Current.Path, m, columns, 0, rows, 0, columns);
        }
    }

    /// <summary>Adds the column sums of the rows×columns matrix to <paramref name="sums"/> (the bias gradient Σ over the batch of dY).</summary>
    public static void AccumulateColumnSums(ReadOnlySpan<float> matrix, int rows, int columns, Span<float> sums)
    {
        CheckMatrix(matrix.Length, rows, columns);
        if (sums.Length != columns)
        {
            KernelThrow.LengthMismatch(nameof(sums), sums.Length, columns);
        }

        fixed (float* m = matrix, s = sums)
        {
            switch (KernelSelection.Current.Path)
            {
                case SimdPath.Vector512: AccumulateColumnSums<Simd512, Vector512<float>>(m, rows, columns, s); break;
                case SimdPath.Vector256: AccumulateColumnSums<Simd256, Vector256<float>>(m, rows, columns, s); break;
                case SimdPath.Vector128: AccumulateColumnSums<Simd128, Vector128<float>>(m, rows, columns, s); break;
                default: AccumulateColumnSumsScalar(m, rows, columns, s, 0); break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateColumnSums<TOps, TVector>(float* matrix, int rows, int columns, float* sums)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        // Sum the batch first, then add it to the accumulator, as autograd's `grad += Σ dZ` does: accumulating
        // twice then gives exactly twice one accumulation.
        if (rows == 0)
        {
            return;
        }

        var width = TOps.Width;
        var j = 0;
        for (; j + width <= columns; j += width)
        {
            var total = TOps.Load(matrix + j);
            for (var r = 1; r < rows; r++)
            {
                total = TOps.Add(total, TOps.Load(matrix + ((nint)r * columns) + j));
            }

            TOps.Store(sums + j, TOps.Add(TOps.Load(sums + j), total));
        }

        AccumulateColumnSumsScalar(matrix, rows, columns, sums, j);
    }

    private static void AccumulateColumnSumsScalar(float* matrix, int rows, int columns, float* sums, int start)
    {
        for (var j = start; j < columns; j++)
        {
            var total = 0f;
            for (var r = 0; r < rows; r++)
            {
                total += matrix[((nint)r * columns) + j];
            }

            sums[j] += total;
        }
    }

    private static void CheckMatrix(int length, int rows, int columns)
    {
        if (rows < 0)
        {
            KernelThrow.Negative(nameof(rows), rows);
        }

        if (columns < 0)
        {
            KernelThrow.Negative(nameof(columns), columns);
        }

        if (length != (long)rows * columns)
        {
            KernelThrow.LengthMismatch("matrix", length, rows * columns);
        }
    }
}
