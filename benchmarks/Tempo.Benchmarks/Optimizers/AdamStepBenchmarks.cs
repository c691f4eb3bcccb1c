using BenchmarkDotNet.Attributes;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Benchmarks.Optimizers;

/// <summary>One Adam step and one global-norm clip over a parameter set of a given total size.</summary>
[MemoryDiagnoser]
public class AdamStepBenchmarks
{
    private Parameter[] _parameters = [];
    private Adam _adam = null!;

    /// <summary>9,155 ≈ CleanRL's CartPole actor and critic (4-64-64-2 and 4-64-64-1); 1,684,128 ≈ a Nature CNN.</summary>
    [Params(9_155, 1_684_128)]
    public int ParameterCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Split like a network: one large weight matrix, plus a bias-sized tail that exercises the scalar loop.
        _parameters = [new Parameter("weight", ParameterCount - 67), new Parameter("bias", 67)];
        var random = new Random(0);
        foreach (var parameter in _parameters)
        {
            for (var i = 0; i < parameter.Gradient.Length; i++)
            {
                parameter.Gradient.Span[i] = random.NextSingle() - 0.5f;
            }
        }

        _adam = new Adam(_parameters, new AdamOptions { LearningRate = 2.5e-4, Epsilon = 1e-5 });
    }

    [Benchmark]
    public void AdamStep() => _adam.Step();

    [Benchmark]
    public float ClipGradNorm() => Gradients.ClipGradNorm(_parameters, float.MaxValue);
}
