namespace Tempo.Nn.Kernels;

/// <summary>One validated C = op(A)·op(B) + β·C problem as raw pointers and element strides (internal form).</summary>
/// <remarks>
/// Transposes become strides: op(A)(i, p) = A[i·RowStrideA + p·ColumnStrideA] and op(B)(p, j) = B[p·RowStrideB + j·ColumnStrideB],
/// so a transposed operand is the same matrix with its two strides swapped. The pointers must stay valid (pinned)
/// while a kernel runs, including on worker threads.
/// </remarks>
internal unsafe struct GemmProblem
{
    public float* A;
    public nint RowStrideA;
    public nint ColumnStrideA;
    public float* B;
    public nint RowStrideB;
    public nint ColumnStrideB;
    public float* C;
    public nint Ldc;
    public int M;
    public int N;
    public int K;
    public float Beta;
    public GemmEpilogue Epilogue;

    /// <summary>Multiply-adds in the problem (2·m·n·k flops).</summary>
    public readonly long Flops => 2L * M * N * K;

    /// <summary>The sub-problem of rows [row, row + rows) and columns [column, column + columns).</summary>
    public readonly GemmProblem Slice(int row, int rows, int column, int columns)
    {
        var slice = this;
        slice.A = A + (row * RowStrideA);
        slice.B = B + (column * ColumnStrideB);
        slice.C = C + (row * Ldc) + column;
        slice.M = rows;
        slice.N = columns;
        slice.Epilogue = Epilogue.Offset(row, column);
        return slice;
    }
}
