using BenchmarkDotNet.Attributes;
using Tempo.Nn.Kernels;

namespace Tempo.Benchmarks.Kernels;

/// <summary>SGEMM throughput: the 1024³ goal shape on 1 and 2 threads, and the small/skinny shapes the networks use.</summary>
[Config(typeof(KernelBenchmarkConfig))]
public class SgemmBenchmarks : IDisposable
{
    private static readonly string[] _shapeTexts =
    [
        "NN 1024x1024x1024", "TN 1024x1024x1024", "NT 1024x1024x1024",
        "NN 1x4x64", "NT 1x4x64", "NN 1x64x64", "NT 1x64x64", "TN 1x64x64",
        "NN 128x64x64", "TN 128x64x64", "NT 128x64x64", "NT 128x64x2",
        "NN 4096x64x64", "TN 4096x64x64", "NT 4096x64x64",
        "NN 256x3136x512", "TN 256x3136x512", "NT 256x3136x512",
    ];

    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private KernelParallelism? _parallelism;

    /// <summary>The shapes: M×K×N with the op letters of A and B.</summary>
    public static IEnumerable<GemmShape> Shapes() => _shapeTexts.Select(GemmShape.Parse);

    /// <summary>The case.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.Parse("NN 1x4x64");

    /// <summary>Threads per call (the caller plus workers); only large shapes are split.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Allocates operands and the thread pool for the case.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _a = Fill(random, Shape.M * Shape.K);
        _b = Fill(random, Shape.K * Shape.N);
        _c = new float[Shape.M * Shape.N];
        _parallelism = new KernelParallelism(Threads);
    }

    /// <summary>Stops the worker threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <summary>One C = op(A)·op(B).</summary>
    [Benchmark]
    public void Multiply()
    {
        var s = Shape;
        Gemm.Multiply(
            s.TransA, s.TransB, s.M, s.N, s.K,
            _a, s.TransA == Transpose.No ? s.K : s.M,
            _b, s.TransB == Transpose.No ? s.N : s.K,
            _c, s.N, 0f, _parallelism);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _parallelism?.Dispose();
        _parallelism = null;
        GC.SuppressFinalize(this);
    }

    private static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        return values;
    }
}
