using Tempo.Nn.Kernels;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Tests.Kernels;

public sealed class GemmTests
{
    // (m, n, k): awkward sizes around vector widths, batch-1 rows, skinny heads, K = 1, shapes that cross block edges,
    // and narrow results from a transposed A (a first layer's weight gradient), which are computed transposed.
    private static readonly (int M, int N, int K)[] _shapes =
    [
        (1, 1, 1), (1, 64, 4), (1, 64, 64), (1, 2, 64), (1, 6, 3136), (2, 3, 7), (3, 17, 1), (7, 33, 17), (17, 7, 33),
        (33, 65, 64), (64, 64, 64), (65, 64, 1), (128, 2, 64), (5, 18, 65), (65, 33, 257), (257, 17, 3), (1, 257, 65),
        (257, 65, 33), (9, 100, 300), (70, 257, 2), (64, 4, 256), (33, 1, 5),
    ];

    public static TheoryData<int, int, Transpose, Transpose> Combinations()
    {
        var data = new TheoryData<int, int, Transpose, Transpose>();
        foreach (var path in Enum.GetValues<SimdPath>().Where(SimdSupport.IsSupported))
        {
            foreach (var strategy in Enum.GetValues<GemmStrategy>())
            {
                if (path == SimdPath.Scalar && strategy != GemmStrategy.Auto)
                {
                    continue;
                }

                foreach (var transA in Enum.GetValues<Transpose>())
                {
                    foreach (var transB in Enum.GetValues<Transpose>())
                    {
                        data.Add((int)path, (int)strategy, transA, transB);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Multiply_EveryPathStrategyAndTransposeAtAwkwardSizes_MatchesDoubleReference(int pathValue, int strategyValue, Transpose transA, Transpose transB)
    {
        var (path, strategy) = ((SimdPath)pathValue, (GemmStrategy)strategyValue);
        var random = new Random(1234);
        foreach (var (m, n, k) in _shapes)
        {
            foreach (var beta in new[] { 0f, 1f, 0.5f })
            {
                RunCase(random, path, strategy, transA, transB, m, n, k, beta, padding: (m + n + k) % 3, parallelism: null);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Multiply_SmallCacheBlocks_MatchesDoubleReference(int pathValue, int strategyValue, Transpose transA, Transpose transB)
    {
        var (path, strategy) = ((SimdPath)pathValue, (GemmStrategy)strategyValue);
        // Tiny MC/KC/NC force every loop of the packed driver to run several blocks with ragged last blocks.
        using var parallelism = new KernelParallelism(1, new GemmBlocking(RowBlock: 13, DepthBlock: 7, ColumnBlock: 40));
        var random = new Random(99);
        foreach (var (m, n, k) in new[] { (45, 77, 31), (8, 32, 7), (17, 100, 15), (100, 9, 50) })
        {
            RunCase(random, path, strategy, transA, transB, m, n, k, beta: 1f, padding: 2, parallelism);
            RunCase(random, path, strategy, transA, transB, m, n, k, beta: 0f, padding: 0, parallelism);
        }
    }

    [Theory]
    [InlineData("Auto", Transpose.No, Transpose.No)]
    [InlineData("Packed", Transpose.No, Transpose.No)]
    [InlineData("Packed", Transpose.Yes, Transpose.No)]
    [InlineData("Packed", Transpose.No, Transpose.Yes)]
    [InlineData("Packed", Transpose.Yes, Transpose.Yes)]
    [InlineData("Direct", Transpose.No, Transpose.No)]
    [InlineData("Direct", Transpose.Yes, Transpose.Yes)]
    [InlineData("DirectScratchEdges", Transpose.No, Transpose.No)]
    [InlineData("Dot", Transpose.No, Transpose.Yes)]
    public void Multiply_TwoThreads_EqualsOneThreadWithinTolerance(string strategyName, Transpose transA, Transpose transB)
    {
        var strategy = Enum.Parse<GemmStrategy>(strategyName);
        using var two = new KernelParallelism(2);
        var random = new Random(7);
        foreach (var (m, n, k) in new[] { (301, 230, 117), (3, 2000, 1400), (2000, 5, 801) })
        {
            var (a, lda) = Operand(random, transA == Transpose.No ? m : k, transA == Transpose.No ? k : m, 1);
            var (b, ldb) = Operand(random, transB == Transpose.No ? k : n, transB == Transpose.No ? n : k, 0);
            var initial = GemmReference.Random(random, m * n);
            var single = (float[])initial.Clone();
            var dual = (float[])initial.Clone();
            Assert.True(2L * m * n * k >= KernelParallelism.MinimumParallelFlops);
            Gemm.Multiply(SimdSupport.Best, strategy, transA, transB, m, n, k, a, lda, b, ldb, single, n, 0.5f, default, Activation.None, null);
            Gemm.Multiply(SimdSupport.Best, strategy, transA, transB, m, n, k, a, lda, b, ldb, dual, n, 0.5f, default, Activation.None, two);
            // Two threads split C into chunks whose elements may take other kernel paths (edge tiles): whatever order each
            // run added its sums in, both are within the bound of exact, so within twice it of each other.
            var (expected, magnitude) = GemmReference.Compute(transA, transB, m, n, k, a, lda, b, ldb, initial, n, 0.5f);
            for (var i = 0; i < single.Length; i++)
            {
                var allowed = 2 * GemmReference.Bound(expected[i], magnitude[i], k + 1);
                Assert.True(Math.Abs(single[i] - dual[i]) <= allowed, $"{m}x{n}x{k} element {i}: {single[i]} vs {dual[i]} (±{allowed})");
            }

            GemmReference.AssertClose(expected, magnitude, dual, m, n, n, k + 1, $"2 threads {m}x{n}x{k}");
        }
    }

    [Theory]
    [InlineData(Activation.None)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    public void MultiplyBiasActivation_EveryPathAndStrategy_MatchesReferenceThenActivation(Activation activation)
    {
        var random = new Random(5);
        foreach (var (m, n, k) in new[] { (1, 64, 4), (3, 2, 64), (37, 45, 19), (130, 70, 90), (70, 45, 300) })
        {
            foreach (var transB in Enum.GetValues<Transpose>())
            {
                var (a, lda) = Operand(random, m, k, 0);
                var (b, ldb) = Operand(random, transB == Transpose.No ? k : n, transB == Transpose.No ? n : k, 1);
                var bias = GemmReference.Random(random, n);
                var (expected, magnitude) = GemmReference.Compute(Transpose.No, transB, m, n, k, a, lda, b, ldb, new float[m * n], n, 0f);
                for (var i = 0; i < m; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        var z = expected[(i * n) + j] + bias[j];
                        expected[(i * n) + j] = activation switch
                        {
                            Activation.Relu => Math.Max(z, 0),
                            Activation.Tanh => Math.Tanh(z),
                            _ => z,
                        };
                        magnitude[(i * n) + j] += Math.Abs(bias[j]);
                    }
                }

                foreach (var path in Enum.GetValues<SimdPath>().Where(SimdSupport.IsSupported))
                {
                    foreach (var strategy in Enum.GetValues<GemmStrategy>().Where(s => path != SimdPath.Scalar || s == GemmStrategy.Auto))
                    {
                        var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
                        Gemm.Multiply(path, strategy, Transpose.No, transB, m, n, k, a, lda, b, ldb, c, n, 0f, bias, activation, null);
                        GemmReference.AssertClose(expected, magnitude, c, m, n, n, k + 1, $"{path} {strategy} {transB} {m}x{n}x{k} {activation}", activation == Activation.Tanh);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(Transpose.No)]
    [InlineData(Transpose.Yes)]
    public void MultiplyBiasActivation_TwoThreads_EqualsOneThread(Transpose transB)
    {
        using var two = new KernelParallelism(2);
        var random = new Random(8);
        foreach (var (m, n, k) in new[] { (300, 70, 100), (3, 900, 800) })
        {
            var a = GemmReference.Random(random, m * k);
            var b = GemmReference.Random(random, k * n);
            var bias = GemmReference.Random(random, n);
            var ldb = transB == Transpose.No ? n : k;
            var single = new float[m * n];
            var dual = new float[m * n];
            Gemm.MultiplyBiasActivation(Transpose.No, transB, m, n, k, a, k, b, ldb, bias, Activation.Tanh, single, n);
            Gemm.MultiplyBiasActivation(Transpose.No, transB, m, n, k, a, k, b, ldb, bias, Activation.Tanh, dual, n, two);

            // Both runs are within the bound of exact (k products and the bias, then tanh), so within twice it of each other.
            var (sums, magnitude) = GemmReference.Compute(Transpose.No, transB, m, n, k, a, k, b, ldb, new float[m * n], n, 0f);
            for (var i = 0; i < single.Length; i++)
            {
                var z = sums[i] + bias[i % n];
                var allowed = 2 * GemmReference.Bound(Math.Tanh(z), magnitude[i] + Math.Abs(bias[i % n]), k + 1, tanh: true);
                Assert.True(Math.Abs(single[i] - dual[i]) <= allowed, $"{m}x{n}x{k} element {i}: {single[i]} vs {dual[i]} (±{allowed})");
            }
        }
    }

    [Fact]
    public void Multiply_PublicOverload_MatchesReference()
    {
        var random = new Random(3);
        var a = GemmReference.Random(random, 5 * 7);
        var b = GemmReference.Random(random, 7 * 9);
        var c = new float[5 * 9];
        Gemm.Multiply(Transpose.No, Transpose.No, 5, 9, 7, a, 7, b, 9, c, 9);
        var (expected, magnitude) = GemmReference.Compute(Transpose.No, Transpose.No, 5, 9, 7, a, 7, b, 9, c, 9, 0f);
        GemmReference.AssertClose(expected, magnitude, c, 5, 9, 9, 7, "public");
    }

    [Fact]
    public void Multiply_KIsZero_ScalesCByBeta()
    {
        var c = new[] { 1f, 2f, 3f, 4f };
        Gemm.Multiply(Transpose.No, Transpose.No, 2, 2, 0, [], 1, [], 2, c, 2, beta: 0.5f);
        Assert.Equal(new[] { 0.5f, 1f, 1.5f, 2f }, c);
        Gemm.Multiply(Transpose.No, Transpose.No, 2, 2, 0, [], 1, [], 2, c, 2);
        Assert.Equal(new float[4], c);
    }

    [Fact]
    public void Multiply_NegativeSize_ThrowsNamingTheArgument()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, -1, 2, new float[4], 2, new float[4], 2, new float[4], 2));
        Assert.Equal("n", error.ParamName);
        Assert.Contains("-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multiply_LeadingDimensionTooSmall_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, 3, 4, new float[8], 3, new float[12], 3, new float[6], 3));
        Assert.Equal("lda", error.ParamName);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(Transpose.No, Transpose.Yes, 2, 3, 4, new float[8], 4, new float[12], 3, new float[6], 3));
        Assert.Equal("ldb", error.ParamName);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, 3, 4, new float[8], 4, new float[12], 3, new float[6], 2));
        Assert.Equal("ldc", error.ParamName);
    }

    [Fact]
    public void Multiply_SpanTooShort_ThrowsWithRequiredLength()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.Yes, Transpose.No, 2, 3, 4, new float[7], 2, new float[12], 3, new float[6], 3));
        Assert.Equal("a", error.ParamName);
        Assert.Contains("8", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, 3, 4, new float[8], 4, new float[11], 3, new float[6], 3));
        Assert.Equal("b", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, 3, 4, new float[8], 4, new float[12], 3, new float[7], 5));
        Assert.Equal("c", error.ParamName);
    }

    [Fact]
    public void Multiply_COverlapsA_Throws()
    {
        var buffer = new float[32];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, 2, 2, buffer.AsSpan(0, 4), 2, new float[4], 2, buffer.AsSpan(2, 4), 2));
        Assert.Equal("c", error.ParamName);
    }

    [Fact]
    public void Multiply_UnknownTranspose_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply((Transpose)7, Transpose.No, 1, 1, 1, new float[1], 1, new float[1], 1, new float[1], 1));
        Assert.Equal("transA", error.ParamName);
    }

    [Fact]
    public void MultiplyBiasActivation_WrongBiasLength_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.MultiplyBiasActivation(Transpose.No, Transpose.No, 1, 3, 1, new float[1], 1, new float[3], 3, new float[2], Activation.Relu, new float[3], 3));
        Assert.Equal("bias", error.ParamName);
    }

    [Fact]
    public void KernelParallelism_UsedAfterDispose_Throws()
    {
        var parallelism = new KernelParallelism(2);
        parallelism.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 300, 300, 300, new float[90000], 300, new float[90000], 300, new float[90000], 300, parallelism: parallelism));
    }

    private static void RunCase(Random random, SimdPath path, GemmStrategy strategy, Transpose transA, Transpose transB, int m, int n, int k, float beta, int padding, KernelParallelism? parallelism)
    {
        var (a, lda) = Operand(random, transA == Transpose.No ? m : k, transA == Transpose.No ? k : m, padding);
        var (b, ldb) = Operand(random, transB == Transpose.No ? k : n, transB == Transpose.No ? n : k, padding + 1);
        var ldc = n + padding;
        var c = GemmReference.Random(random, (m * ldc) + 3);
        if (beta == 0f)
        {
            for (var i = 0; i < m; i++)
            {
                c.AsSpan(i * ldc, n).Fill(float.NaN);
            }
        }

        var before = (float[])c.Clone();
        var (expected, magnitude) = GemmReference.Compute(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, beta);
        Gemm.Multiply(path, strategy, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, beta, default, Activation.None, parallelism);
        var label = $"{path} {strategy} {transA}/{transB} {m}x{n}x{k} beta={beta} ld+{padding}";
        GemmReference.AssertClose(expected, magnitude, c, m, n, ldc, beta == 0f ? k : k + 1, label);
        for (var i = 0; i < c.Length; i++)
        {
            var column = i % ldc;
            if (i >= m * ldc || column >= n)
            {
                Assert.True(before[i].Equals(c[i]), $"{label}: element {i} outside C was changed.");
            }
        }
    }

    private static (float[] Values, int Stride) Operand(Random random, int rows, int columns, int padding)
    {
        var stride = Math.Max(1, columns + padding);
        return (GemmReference.Random(random, Math.Max(1, rows * stride)), stride);
    }
}
