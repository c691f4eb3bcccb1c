using Tempo.Nn.Kernels;
using Tempo.Nn.Kernels.Selection;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Tests.Kernels;

/// <summary>
/// Every vector path the kernel selection may choose, forced one at a time, against naive double-precision references
/// with a derived error bound. A path this CPU does not run is skipped, and the skip names the path and the CPU.
/// </summary>
/// <remarks>
/// The bound: a float sum of n products of floats, in any order and with or without FMA, is within
/// γₙ·Σ|terms| of the exact sum, γₙ = n·u/(1 − n·u), u = 2⁻²⁴ (Higham, Accuracy and Stability of Numerical
/// Algorithms, §3.1). A GEMM element is such a sum over K products plus β·C (one more product and one more addition),
/// so n = K + 2; a convolution output sums C·kh·kw products plus the bias, a weight gradient N·outH·outW products.
/// The double reference's own error (2⁻⁵³ per operation) is far below it.
/// </remarks>
public sealed class KernelPathTests
{
    // Odd sizes around vector widths and block edges; the last four are ≥ 16 MFLOP, so two threads split them
    // by rows (M ≥ N, sharing a packed op(B)) or by columns (M < N, sharing a packed op(A)).
    private static readonly (int M, int N, int K)[] _shapes =
    [
        (1, 1, 1), (1, 37, 5), (7, 33, 17), (65, 33, 257), (257, 65, 33), (33, 1, 70),
        (301, 230, 117), (3, 2000, 1400), (2000, 5, 801), (130, 517, 300),
    ];

    public static TheoryData<SimdPath, Transpose, Transpose> PathsAndLayouts()
    {
        var data = new TheoryData<SimdPath, Transpose, Transpose>();
        foreach (var path in Enum.GetValues<SimdPath>())
        {
            foreach (var transA in Enum.GetValues<Transpose>())
            {
                foreach (var transB in Enum.GetValues<Transpose>())
                {
                    data.Add(path, transA, transB);
                }
            }
        }

        return data;
    }

    public static TheoryData<SimdPath> Paths() => [.. Enum.GetValues<SimdPath>()];

    [SkippableTheory]
    [MemberData(nameof(PathsAndLayouts))]
    public void Gemm_ForcedPath_EveryLayoutOddSizesOneAndTwoThreads_WithinDerivedBound(SimdPath path, Transpose transA, Transpose transB)
    {
        RequirePath(path);
        using var one = new KernelParallelism(1);
        using var two = new KernelParallelism(2);

        // Tiny blocks make the packed driver and the shared packing of two threads run many ragged blocks.
        using var twoSmallBlocks = new KernelParallelism(2, new GemmBlocking(RowBlock: 13, DepthBlock: 7, ColumnBlock: 40));
        var random = new Random(2026);
        foreach (var (m, n, k) in _shapes)
        {
            var lda = (transA == Transpose.No ? k : m) + 3;
            var ldb = (transB == Transpose.No ? n : k) + 1;
            var ldc = n + 2;
            var a = GemmReference.Random(random, (transA == Transpose.No ? m : k) * lda);
            var b = GemmReference.Random(random, (transB == Transpose.No ? k : n) * ldb);
            var initial = GemmReference.Random(random, m * ldc);
            var (expected, magnitude) = Reference(transA, transB, m, n, k, a, lda, b, ldb, initial, ldc, beta: 0.5f);
            foreach (var strategy in new[] { GemmStrategy.Auto, GemmStrategy.Packed })
            {
                foreach (var parallelism in new[] { null, one, two, twoSmallBlocks })
                {
                    var c = (float[])initial.Clone();
                    Gemm.Multiply(path, strategy, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, 0.5f, default, Activation.None, parallelism);
                    var label = $"{path} {strategy} {(transA == Transpose.Yes ? 'T' : 'N')}{(transB == Transpose.Yes ? 'T' : 'N')} {m}x{n}x{k} on {parallelism?.ThreadCount ?? 1} thread(s)";
                    AssertWithinBound(expected, magnitude, k + 2, c, m, n, ldc, label);
                    for (var i = 0; i < m; i++)
                    {
                        for (var j = n; j < ldc; j++)
                        {
                            Assert.True(c[(i * ldc) + j] == initial[(i * ldc) + j], $"{label}: the padding after row {i} was written.");
                        }
                    }
                }
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void Conv2d_ForcedPath_ForwardAndBothGradientsOneAndTwoThreads_WithinDerivedBound(SimdPath path)
    {
        RequirePath(path);
        using var two = new KernelParallelism(2);
        var random = new Random(84);
        Conv2dGeometry[] geometries =
        [
            new(Batch: 3, InChannels: 3, Height: 11, Width: 13, OutChannels: 5, KernelHeight: 5, KernelWidth: 4, Stride: 3, Padding: 1),
            new(Batch: 2, InChannels: 4, Height: 36, Width: 36, OutChannels: 32, KernelHeight: 8, KernelWidth: 8, Stride: 4, Padding: 0),
            new(Batch: 4, InChannels: 32, Height: 9, Width: 9, OutChannels: 64, KernelHeight: 4, KernelWidth: 4, Stride: 2, Padding: 0),
        ];
        foreach (var g in geometries)
        {
            var input = GemmReference.Random(random, g.InputLength);
            var weight = GemmReference.Random(random, g.WeightLength);
            var bias = GemmReference.Random(random, g.OutChannels);
            var outputGradient = GemmReference.Random(random, g.OutputLength);
            var reference = new ConvReference(g, input, weight, bias, outputGradient);
            var taps = g.InChannels * g.KernelHeight * g.KernelWidth;
            foreach (var parallelism in new[] { null, two })
            {
                var label = $"{path} {g} on {parallelism?.ThreadCount ?? 1} thread(s)";
                var output = Enumerable.Repeat(float.NaN, g.OutputLength).ToArray();
                Conv2dKernels.Forward(path, g, input, weight, bias, output, Activation.None, parallelism);
                AssertWithinBound(reference.Output, reference.OutputMagnitude, taps + 1, output, 1, output.Length, output.Length, "forward " + label);

                var inputGradient = Enumerable.Repeat(float.NaN, g.InputLength).ToArray();
                Conv2dKernels.BackwardInput(path, g, outputGradient, weight, inputGradient, parallelism);
                AssertWithinBound(reference.InputGradient, reference.InputGradientMagnitude, g.OutChannels * g.KernelHeight * g.KernelWidth, inputGradient, 1, inputGradient.Length, inputGradient.Length, "input gradient " + label);

                // The weight gradient accumulates: start from ones and expect 1 + Σ (one more addition per element).
                var weightGradient = Enumerable.Repeat(1f, g.WeightLength).ToArray();
                var biasGradient = new float[g.OutChannels];
                Conv2dKernels.BackwardWeight(path, g, input, outputGradient, weightGradient, biasGradient, parallelism);
                var positions = g.Batch * g.OutHeight * g.OutWidth;
                AssertWithinBound([.. reference.WeightGradient.Select(v => v + 1)], [.. reference.WeightGradientMagnitude.Select(v => v + 1)], positions + 1, weightGradient, 1, weightGradient.Length, weightGradient.Length, "weight gradient " + label);
                AssertWithinBound(reference.BiasGradient, reference.BiasGradientMagnitude, positions, biasGradient, 1, biasGradient.Length, biasGradient.Length, "bias gradient " + label);
            }
        }
    }

    /// <summary>Skips (with the path and this CPU in the message) when the path is not run in hardware here.</summary>
    private static void RequirePath(SimdPath path) =>
        Skip.IfNot(SimdSupport.IsSupported(path), $"The {KernelOptions.Name(path)} kernels are not tested here: this CPU ({KernelSelection.Current.Cpu.Describe()}) does not run them in hardware.");

    /// <summary>γₙ = n·u/(1 − n·u) with u = 2⁻²⁴, the unit roundoff of float.</summary>
    private static double Gamma(int n) => n * Math.ScaleB(1, -24) / (1 - (n * Math.ScaleB(1, -24)));

    private static void AssertWithinBound(double[] expected, double[] magnitude, int terms, float[] actual, int m, int n, int ld, string label)
    {
        var gamma = Gamma(terms);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var e = expected[(i * n) + j];
                var got = actual[(i * ld) + j];
                var allowed = gamma * magnitude[(i * n) + j];
                if (!(Math.Abs(got - e) <= allowed))
                {
                    Assert.Fail($"{label}: element [{i},{j}] = {got}, expected {e} ± {allowed:G3} (γ{terms} · Σ|terms|).");
                }
            }
        }
    }

    /// <summary>C = op(A)·op(B) + β·C in double, with Σ|terms| per element; C and the result are m×n with row stride ldc (result: n).</summary>
    private static (double[] Expected, double[] Magnitude) Reference(
        Transpose transA, Transpose transB, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc, float beta)
    {
        var expected = new double[m * n];
        var magnitude = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = beta * (double)c[(i * ldc) + j], abs = Math.Abs(sum);
                for (var p = 0; p < k; p++)
                {
                    var term = (double)(transA == Transpose.No ? a[(i * lda) + p] : a[(p * lda) + i]) * (transB == Transpose.No ? b[(p * ldb) + j] : b[(j * ldb) + p]);
                    sum += term;
                    abs += Math.Abs(term);
                }

                expected[(i * n) + j] = sum;
                magnitude[(i * n) + j] = abs;
            }
        }

        return (expected, magnitude);
    }

    /// <summary>A direct NCHW convolution in double: output, input gradient, weight and bias gradients, each with Σ|terms|.</summary>
    private sealed class ConvReference
    {
        public ConvReference(Conv2dGeometry g, float[] input, float[] weight, float[] bias, float[] outputGradient)
        {
            Output = new double[g.OutputLength];
            OutputMagnitude = new double[g.OutputLength];
            InputGradient = new double[g.InputLength];
            InputGradientMagnitude = new double[g.InputLength];
            WeightGradient = new double[g.WeightLength];
            WeightGradientMagnitude = new double[g.WeightLength];
            BiasGradient = new double[g.OutChannels];
            BiasGradientMagnitude = new double[g.OutChannels];
            for (var b = 0; b < g.Batch; b++)
            {
                for (var o = 0; o < g.OutChannels; o++)
                {
                    for (var y = 0; y < g.OutHeight; y++)
                    {
                        for (var x = 0; x < g.OutWidth; x++)
                        {
                            var outIndex = (((b * g.OutChannels) + o) * g.OutHeight * g.OutWidth) + (y * g.OutWidth) + x;
                            double gradient = outputGradient[outIndex];
                            Output[outIndex] = bias[o];
                            OutputMagnitude[outIndex] = Math.Abs(bias[o]);
                            BiasGradient[o] += gradient;
                            BiasGradientMagnitude[o] += Math.Abs(gradient);
                            for (var c = 0; c < g.InChannels; c++)
                            {
                                for (var i = 0; i < g.KernelHeight; i++)
                                {
                                    for (var j = 0; j < g.KernelWidth; j++)
                                    {
                                        var (iy, ix) = ((y * g.Stride) + i - g.Padding, (x * g.Stride) + j - g.Padding);
                                        if (iy < 0 || iy >= g.Height || ix < 0 || ix >= g.Width)
                                        {
                                            continue;
                                        }

                                        var inIndex = (((b * g.InChannels) + c) * g.Height * g.Width) + (iy * g.Width) + ix;
                                        var wIndex = (((o * g.InChannels) + c) * g.KernelHeight * g.KernelWidth) + (i * g.KernelWidth) + j;
                                        var forward = (double)weight[wIndex] * input[inIndex];
                                        Output[outIndex] += forward;
                                        OutputMagnitude[outIndex] += Math.Abs(forward);
                                        var back = gradient * weight[wIndex];
                                        InputGradient[inIndex] += back;
                                        InputGradientMagnitude[inIndex] += Math.Abs(back);
                                        var weightTerm = gradient * input[inIndex];
                                        WeightGradient[wIndex] += weightTerm;
                                        WeightGradientMagnitude[wIndex] += Math.Abs(weightTerm);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        public double[] Output { get; }

        public double[] OutputMagnitude { get; }

        public double[] InputGradient { get; }

        public double[] InputGradientMagnitude { get; }

        public double[] WeightGradient { get; }

        public double[] WeightGradientMagnitude { get; }

        public double[] BiasGradient { get; }

        public double[] BiasGradientMagnitude { get; }
    }
}
