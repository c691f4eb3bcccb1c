namespace Tempo.Nn.Kernels;

/// <summary>The plain scalar GEMM: the reference path for tests and the fallback for hardware without SIMD.</summary>
internal static unsafe class ScalarGemm
{
    /// <summary>Computes the problem one dot product at a time.</summary>
    public static void Run(in GemmProblem problem)
    {
        for (var i = 0; i < problem.M; i++)
        {
            var rowA = problem.A + (i * problem.RowStrideA);
            var rowC = problem.C + (i * problem.Ldc);
            for (var j = 0; j < problem.N; j++)
            {
                var columnB = problem.B + (j * problem.ColumnStrideB);
                var sum = 0f;
                for (var p = 0; p < problem.K; p++)
                {
                    sum += rowA[p * problem.ColumnStrideA] * columnB[p * problem.RowStrideB];
                }

                rowC[j] = problem.Beta == 0f ? sum : (problem.Beta * rowC[j]) + sum;
            }
        }

        if (!problem.Epilogue.IsNone)
        {
            problem.Epilogue.Apply(Simd.SimdPath.Scalar, problem.C, problem.Ldc, 0, problem.M, 0, problem.N);
        }
    }
}
