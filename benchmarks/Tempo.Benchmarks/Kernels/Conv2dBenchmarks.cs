using BenchmarkDotNet.Attributes;
using Tempo.Nn.Kernels;

namespace Tempo.Benchmarks.Kernels;

/// <summary>Nature-CNN convolutions: forward at batch 1 (actor inference) and forward + backward at batch 256 (learner).</summary>
[Config(typeof(KernelBenchmarkConfig))]
public class Conv2dBenchmarks : IDisposable
{
    private float[] _input = [];
    private float[] _weight = [];
    private float[] _bias = [];
    private float[] _output = [];
    private float[] _inputGradient = [];
    private float[] _weightGradient = [];
    private float[] _biasGradient = [];
    private KernelParallelism? _parallelism;

    /// <summary>The cases.</summary>
    public static IEnumerable<ConvCase> Cases()
    {
        for (var layer = 1; layer <= 3; layer++)
        {
            yield return ConvCase.NatureCnn(layer, 1, training: false);
        }

        for (var layer = 1; layer <= 3; layer++)
        {
            yield return ConvCase.NatureCnn(layer, 256, training: true);
        }
    }

    /// <summary>The case.</summary>
    [ParamsSource(nameof(Cases))]
    public ConvCase Case { get; set; } = ConvCase.NatureCnn(1, 1, false);

    /// <summary>Threads per call (batches are split by image).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Allocates the tensors for the case.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var g = Case.Geometry;
        var random = new Random(2);
        _input = Fill(random, g.InputLength);
        _weight = Fill(random, g.WeightLength);
        _bias = Fill(random, g.OutChannels);
        _output = new float[g.OutputLength];
        _inputGradient = new float[g.InputLength];
        _weightGradient = new float[g.WeightLength];
        _biasGradient = new float[g.OutChannels];
        _parallelism = new KernelParallelism(Threads);
    }

    /// <summary>Stops the worker threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <summary>Forward with fused bias + ReLU, then (training cases) the input and weight gradients.</summary>
    [Benchmark]
    public void Run()
    {
        var g = Case.Geometry;
        Conv2dKernels.Forward(g, _input, _weight, _bias, _output, Activation.Relu, _parallelism);
        if (Case.Training)
        {
            Conv2dKernels.BackwardInput(g, _output, _weight, _inputGradient, _parallelism);
            Conv2dKernels.BackwardWeight(g, _input, _output, _weightGradient, _biasGradient, _parallelism);
        }
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
