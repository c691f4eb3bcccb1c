namespace Tempo.Nn.Kernels;

/// <summary>The plain scalar GEMM: the reference path for tests and the fallback for hardware without SIMD.</summary>
internal static unsafe class ScalarGemm
{
    /// <summary>Computes the problem row by row: C row = β·C row, then adds A(i, p)·(row p of op(B)) for p = 0, 1, ….</summary>
    public static void Run(in GemmProblem problem)
    {
        for (var i = 0; i < problem.M; i++)
        {
            var rowA = problem.A + (i * problem.RowStrideA);
            var rowC = problem.C + (i * problem.Ldc);
            for (var j = 0; j < problem.N; j++)
            {
                rowC[j] = problem.Beta == 0f ? 0f : problem.Beta * rowC[j];
            }

            for (var p = 0; p < problem.K; p++)
            {
                var x = rowA[p * problem.ColumnStrideA];
                var rowB = problem.B + (p * problem.RowStrideB);
                for (var j = 0; j < problem.N; j++)
                {
                    rowC[j] += x * rowB[j * problem.ColumnStrideB];
                }
            }
        }

        if (!problem.Epilogue.IsNone)
        {
            problem.Epilogue.Apply(Simd.SimdPath.Scalar, problem.C, problem.Ldc, 0, problem.M, 0, problem.N);
        }
    }
}
