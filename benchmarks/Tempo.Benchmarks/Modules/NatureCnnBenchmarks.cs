using BenchmarkDotNet.Attributes;
using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Nn.Tensors;
using Conv2dGeometry = Tempo.Nn.Kernels.Conv2dGeometry;
using Conv2dKernels = Tempo.Nn.Kernels.Conv2dKernels;
using Gemm = Tempo.Nn.Kernels.Gemm;
using Transpose = Tempo.Nn.Kernels.Transpose;

namespace Tempo.Benchmarks.Modules;

/// <summary>The Atari Nature-CNN torso on 4×84×84 byte frames; the time is mostly the Conv2d kernels'.</summary>
[MemoryDiagnoser]
public class NatureCnnBenchmarks
{
    private NatureCnn _network = null!;
    private byte[] _frame = null!;
    private byte[] _frames = null!;
    private Tensor _gradient = null!;
    private Conv2dGeometry _conv1;
    private Conv2dGeometry _conv2;
    private Conv2dGeometry _conv3;
    private float[] _scaledFrame = null!;
    private float[] _maps1 = null!;
    private float[] _maps2 = null!;
    private float[] _maps3 = null!;
    private float[] _features = null!;
    private KernelParallelism? _parallelism;
    private Adam _adam = null!;
    private Parameter[] _parameters = null!;

    /// <summary>Learner minibatch size for the forward+backward case.</summary>
    [Params(256)]
    public int BatchSize { get; set; }

    /// <summary>Kernel threads of the learner (the caller opts in to the second core).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        _network = NatureCnn.CreateOrthogonal(4, 84, 84, LayerInit.HiddenGain, random);
        _frame = new byte[4 * 84 * 84];
        _frames = new byte[BatchSize * 4 * 84 * 84];
        random.NextBytes(_frame);
        random.NextBytes(_frames);
        _gradient = MlpBenchmarks.Filled(random, BatchSize, 512);
        _conv1 = new Conv2dGeometry(1, 4, 84, 84, 32, 8, 8, 4, 0);
        _conv2 = new Conv2dGeometry(1, 32, 20, 20, 64, 4, 4, 2, 0);
        _conv3 = new Conv2dGeometry(1, 64, 9, 9, 64, 3, 3, 1, 0);
        _scaledFrame = [.. _frame.Select(b => b / 255f)];
        _maps1 = new float[_conv1.OutputLength];
        _maps2 = new float[_conv2.OutputLength];
        _maps3 = new float[_conv3.OutputLength];
        _features = new float[512];
        _parallelism = Threads > 1 ? new KernelParallelism(Threads) : null;
        _network.Parallelism = _parallelism;
        _adam = new Adam(_network.NamedParameters(), new AdamOptions { LearningRate = 2.5e-4, Epsilon = 1e-5 });
        _parameters = [.. _network.Parameters()];
    }

    [GlobalCleanup]
    public void Cleanup() => _parallelism?.Dispose();

    /// <summary>One actor step on a single frame stack (goal ≤ 300 µs).</summary>
    [Benchmark]
    public float ForwardBatch1() => _network.Forward(_frame, 1).Span[0];

    /// <summary>Baseline: only the kernels of <see cref="ForwardBatch1"/> (three convolutions and the fc GEMM); the difference is the module's own cost.</summary>
    [Benchmark]
    public float ForwardBatch1KernelsOnly()
    {
        var n = _network;
        Conv2dKernels.Forward(_conv1, _scaledFrame, n.Conv1.Weight.Value.Span, n.Conv1.Bias.Value.Span, _maps1);
        Conv2dKernels.Forward(_conv2, _maps1, n.Conv2.Weight.Value.Span, n.Conv2.Bias.Value.Span, _maps2);
        Conv2dKernels.Forward(_conv3, _maps2, n.Conv3.Weight.Value.Span, n.Conv3.Bias.Value.Span, _maps3);
        Gemm.Multiply(Transpose.No, Transpose.Yes, 1, 512, 3136, _maps3, 3136, n.Hidden.Weight.Value.Span, 3136, _features, 512);
        return _features[0];
    }

    /// <summary>PyTorch's `cnn84_ppo_update_b256`: forward, backward, global-norm clip, Adam (goal ≤ 140 ms on one thread, ≤ 105 ms on two).</summary>
    [Benchmark]
    public float Update()
    {
        Gradients.ZeroGrad(_parameters);
        _network.Forward(_frames, BatchSize);
        _network.AccumulateParameterGradients(_gradient);
        var norm = Gradients.ClipGradNorm(_parameters, 0.5f);
        _adam.Step();
        return norm;
    }

    /// <summary>One learner minibatch: forward and parameter gradients, no pixel gradient.</summary>
    [Benchmark]
    public void ForwardBackward()
    {
        _network.Forward(_frames, BatchSize);
        _network.AccumulateParameterGradients(_gradient);
    }
}
