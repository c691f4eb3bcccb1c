using Tempo.Nn.Kernels;
using Tempo.Nn.Kernels.Simd;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Kernels;

public sealed class Conv2dKernelsTests
{
    // Batch, C, H, W, Out, kh, kw, stride, padding: strided, padded, pointwise, non-square kernels, and a small Nature-CNN stack.
    private static readonly Conv2dGeometry[] _geometries =
    [
        new(Batch: 2, InChannels: 3, Height: 7, Width: 6, OutChannels: 5, KernelHeight: 3, KernelWidth: 3, Stride: 1, Padding: 1),
        new(Batch: 3, InChannels: 2, Height: 9, Width: 11, OutChannels: 4, KernelHeight: 3, KernelWidth: 2, Stride: 2, Padding: 2),
        new(Batch: 2, InChannels: 4, Height: 36, Width: 36, OutChannels: 8, KernelHeight: 8, KernelWidth: 8, Stride: 4, Padding: 0),
        new(Batch: 2, InChannels: 8, Height: 8, Width: 8, OutChannels: 16, KernelHeight: 4, KernelWidth: 4, Stride: 2, Padding: 0),
        new(Batch: 2, InChannels: 16, Height: 3, Width: 3, OutChannels: 16, KernelHeight: 3, KernelWidth: 3, Stride: 1, Padding: 0),
        new(Batch: 2, InChannels: 5, Height: 4, Width: 3, OutChannels: 7, KernelHeight: 1, KernelWidth: 1, Stride: 1, Padding: 0),
        new(Batch: 1, InChannels: 1, Height: 5, Width: 5, OutChannels: 1, KernelHeight: 5, KernelWidth: 5, Stride: 3, Padding: 4),
        new(Batch: 5, InChannels: 3, Height: 12, Width: 10, OutChannels: 33, KernelHeight: 3, KernelWidth: 3, Stride: 1, Padding: 1),
        new(Batch: 2, InChannels: 3, Height: 11, Width: 13, OutChannels: 4, KernelHeight: 5, KernelWidth: 4, Stride: 3, Padding: 0),

        // Rows wide enough for the vectorised stride-4 and stride-2 phase split (W ≥ 16·stride).
        new(Batch: 1, InChannels: 2, Height: 70, Width: 68, OutChannels: 3, KernelHeight: 8, KernelWidth: 8, Stride: 4, Padding: 0),
        new(Batch: 1, InChannels: 2, Height: 34, Width: 35, OutChannels: 3, KernelHeight: 4, KernelWidth: 4, Stride: 2, Padding: 0),

        // ≥ 16 MFLOP, so two threads split the batch by image.
        new(Batch: 4, InChannels: 16, Height: 24, Width: 24, OutChannels: 32, KernelHeight: 3, KernelWidth: 3, Stride: 1, Padding: 1),
    ];

    [Fact]
    public void Forward_EveryPathAndThreadCount_MatchesNaiveReference()
    {
        using var two = new KernelParallelism(2);
        var random = new Random(11);
        foreach (var g in _geometries)
        {
            var input = GemmReference.Random(random, g.InputLength);
            var weight = GemmReference.Random(random, g.WeightLength);
            var bias = GemmReference.Random(random, g.OutChannels);
            var expected = ReferenceForward(g, input, weight, bias);
            var magnitude = ReferenceForward(g, Abs(input), Abs(weight), Abs(bias));
            var gamma = Float32Bounds.Gamma((g.InChannels * g.KernelHeight * g.KernelWidth) + 1);
            foreach (var (path, parallelism) in PathsAndThreads(two))
            {
                foreach (var activation in Enum.GetValues<Activation>())
                {
                    var output = Enumerable.Repeat(float.NaN, g.OutputLength).ToArray();
                    Conv2dKernels.Forward(path, g, input, weight, bias, output, activation, parallelism);
                    for (var i = 0; i < expected.Length; i++)
                    {
                        var e = activation switch
                        {
                            Activation.Relu => Math.Max(expected[i], 0),
                            Activation.Tanh => Math.Tanh(expected[i]),
                            _ => expected[i],
                        };
                        // Against exact (double) sums: within γ_n·Σ|terms| for any order of addition; ReLU is exact and
                        // 1-Lipschitz, Tanh 1-Lipschitz and within 6.5u relative of exact (ActivationModuleTests).
                        var sumBound = gamma * magnitude[i];
                        var bound = activation == Activation.Tanh ? sumBound + (Float32Bounds.TanhRelativeAccuracy * Float32Bounds.Unit * (Math.Abs(e) + sumBound)) : sumBound;
                        AssertClose(e, output[i], bound, $"{path} T{parallelism?.ThreadCount ?? 1} {g} {activation} output[{i}]");
                    }
                }
            }
        }
    }

    [Fact]
    public void BackwardInput_EveryPathAndThreadCount_MatchesNaiveReference()
    {
        using var two = new KernelParallelism(2);
        var random = new Random(12);
        foreach (var g in _geometries)
        {
            var outputGradient = GemmReference.Random(random, g.OutputLength);
            var weight = GemmReference.Random(random, g.WeightLength);
            var expected = new double[g.InputLength];
            var magnitude = new double[g.InputLength];
            Visit(g, (n, o, y, x, c, iy, ix, wIndex, inIndex, outIndex) =>
            {
                expected[inIndex] += (double)outputGradient[outIndex] * weight[wIndex];
                magnitude[inIndex] += Math.Abs((double)outputGradient[outIndex] * weight[wIndex]);
            });

            // Each input element sums at most out·kh·kw products (fewer at the borders and with stride).
            var gamma = Float32Bounds.Gamma(g.OutChannels * g.KernelHeight * g.KernelWidth);
            foreach (var (path, parallelism) in PathsAndThreads(two))
            {
                var inputGradient = Enumerable.Repeat(float.NaN, g.InputLength).ToArray();
                Conv2dKernels.BackwardInput(path, g, outputGradient, weight, inputGradient, parallelism);
                for (var i = 0; i < expected.Length; i++)
                {
                    AssertClose(expected[i], inputGradient[i], gamma * magnitude[i], $"{path} T{parallelism?.ThreadCount ?? 1} {g} dX[{i}]");
                }
            }
        }
    }

    [Fact]
    public void BackwardWeight_EveryPathAndThreadCount_AccumulatesNaiveReference()
    {
        using var two = new KernelParallelism(2);
        var random = new Random(13);
        foreach (var g in _geometries)
        {
            var input = GemmReference.Random(random, g.InputLength);
            var outputGradient = GemmReference.Random(random, g.OutputLength);
            var initialWeight = GemmReference.Random(random, g.WeightLength);
            var initialBias = GemmReference.Random(random, g.OutChannels);
            var expectedWeight = initialWeight.Select(v => (double)v).ToArray();
            var expectedBias = initialBias.Select(v => (double)v).ToArray();
            var weightMagnitude = Abs(initialWeight).Select(v => (double)v).ToArray();
            var biasMagnitude = Abs(initialBias).Select(v => (double)v).ToArray();
            Visit(g, (n, o, y, x, c, iy, ix, wIndex, inIndex, outIndex) =>
            {
                expectedWeight[wIndex] += (double)outputGradient[outIndex] * input[inIndex];
                weightMagnitude[wIndex] += Math.Abs((double)outputGradient[outIndex] * input[inIndex]);
            });
            for (var n = 0; n < g.Batch; n++)
            {
                for (var o = 0; o < g.OutChannels; o++)
                {
                    for (var p = 0; p < g.OutHeight * g.OutWidth; p++)
                    {
                        expectedBias[o] += outputGradient[(((n * g.OutChannels) + o) * g.OutHeight * g.OutWidth) + p];
                        biasMagnitude[o] += Math.Abs(outputGradient[(((n * g.OutChannels) + o) * g.OutHeight * g.OutWidth) + p]);
                    }
                }
            }

            foreach (var (path, parallelism) in PathsAndThreads(two))
            {
                var weightGradient = (float[])initialWeight.Clone();
                var biasGradient = (float[])initialBias.Clone();
                Conv2dKernels.BackwardWeight(path, g, input, outputGradient, weightGradient, biasGradient, parallelism);
                var label = $"{path} T{parallelism?.ThreadCount ?? 1} {g}";

                // Every weight and bias gradient sums one product per output position of every image, plus the value it
                // accumulates into: n = batch·outH·outW + 1 terms in whatever order the path and the thread split choose.
                var gamma = Float32Bounds.Gamma((g.Batch * g.OutHeight * g.OutWidth) + 1);
                for (var i = 0; i < expectedWeight.Length; i++)
                {
                    AssertClose(expectedWeight[i], weightGradient[i], gamma * weightMagnitude[i], $"{label} dW[{i}]");
                }

                for (var i = 0; i < expectedBias.Length; i++)
                {
                    AssertClose(expectedBias[i], biasGradient[i], gamma * biasMagnitude[i], $"{label} dB[{i}]");
                }
            }
        }
    }

    [Fact]
    public void TestGeometries_IncludeOneLargeEnoughToSplitAcrossThreads()
    {
        Assert.Contains(_geometries, g => 2L * g.OutputLength * g.InChannels * g.KernelHeight * g.KernelWidth >= KernelParallelism.MinimumParallelFlops && g.Batch > 2);
    }

    [Fact]
    public void BackwardWeight_EmptyBiasGradient_OnlyTouchesWeights()
    {
        var g = _geometries[0];
        var random = new Random(14);
        var weightGradient = new float[g.WeightLength];
        Conv2dKernels.BackwardWeight(g, GemmReference.Random(random, g.InputLength), GemmReference.Random(random, g.OutputLength), weightGradient, []);
        Assert.Contains(weightGradient, v => v != 0f);
    }

    [Fact]
    public void Forward_WrongInputLength_ThrowsNamingInput()
    {
        var g = _geometries[0];
        var error = Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(g, new float[g.InputLength - 1], new float[g.WeightLength], [], new float[g.OutputLength]));
        Assert.Equal("input", error.ParamName);
        Assert.Contains((g.InputLength - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_WrongBiasLength_Throws()
    {
        var g = _geometries[0];
        var error = Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(g, new float[g.InputLength], new float[g.WeightLength], new float[1], new float[g.OutputLength]));
        Assert.Equal("bias", error.ParamName);
    }

    [Fact]
    public void Forward_KernelLargerThanInput_Throws()
    {
        var g = new Conv2dGeometry(1, 1, 3, 3, 1, 5, 5, 1, 0);
        Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(g, new float[9], new float[25], [], new float[1]));
    }

    [Fact]
    public void BackwardInput_OutputOverlapsWeight_Throws()
    {
        var g = new Conv2dGeometry(1, 1, 3, 3, 1, 1, 1, 1, 0);
        var buffer = new float[20];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Conv2dKernels.BackwardInput(g, buffer.AsSpan(0, 9), buffer.AsSpan(9, 1), buffer.AsSpan(5, 9)));
        Assert.Equal("inputGradient", error.ParamName);
    }

    /// <summary>Every supported vector path, each on the calling thread alone and with two threads.</summary>
    private static IEnumerable<(SimdPath Path, KernelParallelism? Parallelism)> PathsAndThreads(KernelParallelism two)
    {
        foreach (var path in Enum.GetValues<SimdPath>().Where(SimdSupport.IsSupported))
        {
            yield return (path, null);
            yield return (path, two);
        }
    }

    private static double[] ReferenceForward(in Conv2dGeometry g, float[] input, float[] weight, float[] bias)
    {
        var expected = new double[g.OutputLength];
        var positions = g.OutHeight * g.OutWidth;
        for (var n = 0; n < g.Batch; n++)
        {
            for (var o = 0; o < g.OutChannels; o++)
            {
                for (var p = 0; p < positions; p++)
                {
                    expected[(((n * g.OutChannels) + o) * positions) + p] = bias[o];
                }
            }
        }

        Visit(g, (n, o, y, x, c, iy, ix, wIndex, inIndex, outIndex) => expected[outIndex] += (double)weight[wIndex] * input[inIndex]);
        return expected;
    }

    private delegate void Term(int n, int o, int y, int x, int c, int iy, int ix, int weightIndex, int inputIndex, int outputIndex);

    /// <summary>Calls <paramref name="term"/> for every (output, weight, input) triple of the convolution sum.</summary>
    private static void Visit(in Conv2dGeometry g, Term term)
    {
        for (var n = 0; n < g.Batch; n++)
        {
            for (var o = 0; o < g.OutChannels; o++)
            {
                for (var y = 0; y < g.OutHeight; y++)
                {
                    for (var x = 0; x < g.OutWidth; x++)
                    {
                        var outIndex = (((((n * g.OutChannels) + o) * g.OutHeight) + y) * g.OutWidth) + x;
                        for (var c = 0; c < g.InChannels; c++)
                        {
                            for (var i = 0; i < g.KernelHeight; i++)
                            {
                                var iy = (y * g.Stride) + i - g.Padding;
                                for (var j = 0; j < g.KernelWidth; j++)
                                {
                                    var ix = (x * g.Stride) + j - g.Padding;
                                    if (iy < 0 || iy >= g.Height || ix < 0 || ix >= g.Width)
                                    {
                                        continue;
                                    }

                                    var wIndex = (((((o * g.InChannels) + c) * g.KernelHeight) + i) * g.KernelWidth) + j;
                                    var inIndex = (((((n * g.InChannels) + c) * g.Height) + iy) * g.Width) + ix;
                                    term(n, o, y, x, c, iy, ix, wIndex, inIndex, outIndex);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static float[] Abs(float[] values) => values.Select(Math.Abs).ToArray();

    /// <summary>The expected values are exact (double sums of float32 products), so the bound is one side's rounding alone.</summary>
    private static void AssertClose(double expected, float actual, double bound, string label)
    {
        if (!(Math.Abs(expected - actual) <= bound))
        {
            Assert.Fail($"{label}: got {actual}, expected {expected}, {Math.Abs(expected - actual):G3} apart; derived bound {bound:G3}.");
        }
    }
}
