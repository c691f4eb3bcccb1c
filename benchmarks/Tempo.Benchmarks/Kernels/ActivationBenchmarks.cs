using BenchmarkDotNet.Attributes;
using Tempo.Nn.Kernels;

namespace Tempo.Benchmarks.Kernels;

/// <summary>
/// The activation pass of one hidden layer of the CartPole actor-critic at an rl-zoo minibatch (256 × 64 floats):
/// tanh is a fifth of a PPO update when it goes through the BCL's float exponential, which widens to double.
/// </summary>
[MemoryDiagnoser]
public class ActivationBenchmarks
{
    private readonly float[] _input = new float[256 * 64];
    private readonly float[] _output = new float[256 * 64];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(0);
        for (var i = 0; i < _input.Length; i++)
        {
            _input[i] = (random.NextSingle() - 0.5f) * 6f;
        }
    }

    /// <summary>Tempo's vectorised tanh (float exponential, Taylor series near zero).</summary>
    [Benchmark(Baseline = true)]
    public void Tanh() => ActivationKernels.Forward(Activation.Tanh, _input, _output);

    /// <summary>The BCL's per-lane tanh through Vector512.Exp: the reference the kernel must beat.</summary>
    [Benchmark]
    public void TanhThroughBclExp()
    {
        var input = _input.AsSpan();
        var output = _output.AsSpan();
        var one = System.Runtime.Intrinsics.Vector512.Create(1f);
        var two = System.Runtime.Intrinsics.Vector512.Create(2f);
        for (var i = 0; i + 16 <= input.Length; i += 16)
        {
            var x = System.Runtime.Intrinsics.Vector512.Create(input.Slice(i, 16));
            var e = System.Runtime.Intrinsics.Vector512.Exp(x + x);
            System.Runtime.Intrinsics.Vector512.CopyTo(one - (two / (e + one)), output.Slice(i, 16));
        }
    }

    /// <summary>ReLU over the same floats: the memory-bound floor.</summary>
    [Benchmark]
    public void Relu() => ActivationKernels.Forward(Activation.Relu, _input, _output);
}
