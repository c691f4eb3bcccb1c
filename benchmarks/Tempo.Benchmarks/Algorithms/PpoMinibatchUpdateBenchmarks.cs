using BenchmarkDotNet.Attributes;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Ppo;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Benchmarks.Algorithms;

/// <summary>
/// One PPO minibatch update of CleanRL's CartPole agent at CleanRL's minibatch (128) and rl-zoo's (256), with the
/// actor's and critic's passes in turn (1 thread) or at once (2 threads). PyTorch's 1-thread b128 figure is 1,266 µs.
/// </summary>
[MemoryDiagnoser]
public class PpoMinibatchUpdateBenchmarks
{
    private CategoricalMlpActorCritic _model = null!;
    private KernelParallelism? _parallelism;
    private Adam _adam = null!;
    private Parameter[] _parameters = null!;
    private float[] _observations = null!;
    private int[] _actions = null!;
    private float[] _oldLogProbs = null!;
    private float[] _advantages = null!;
    private float[] _oldValues = null!;
    private float[] _returns = null!;
    private float[] _newLogProbs = null!;
    private float[] _entropy = null!;
    private float[] _newValues = null!;
    private float[] _logProbGradients = null!;
    private float[] _entropyGradients = null!;
    private float[] _valueGradients = null!;

    /// <summary>Minibatch size.</summary>
    [Params(128, 256)]
    public int Batch { get; set; }

    /// <summary>Training threads given to the model.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _model = new CategoricalMlpActorCritic(4, 2, [64, 64], random);
        _parallelism = Threads > 1 ? new KernelParallelism(Threads) : null;
        _model.Parallelism = _parallelism;
        _adam = new Adam(_model.NamedParameters, new AdamOptions { LearningRate = 2.5e-4, Epsilon = 1e-5 });
        _parameters = [.. _model.NamedParameters.Select(p => p.Parameter)];
        float[] Fill(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        _observations = Fill(Batch * 4);
        _actions = [.. Enumerable.Range(0, Batch).Select(_ => random.Next(2))];
        _oldLogProbs = [.. Enumerable.Range(0, Batch).Select(_ => -0.69f)];
        _advantages = Fill(Batch);
        _oldValues = Fill(Batch);
        _returns = Fill(Batch);
        _newLogProbs = new float[Batch];
        _entropy = new float[Batch];
        _newValues = new float[Batch];
        _logProbGradients = new float[Batch];
        _entropyGradients = new float[Batch];
        _valueGradients = new float[Batch];
    }

    [GlobalCleanup]
    public void Cleanup() => _parallelism?.Dispose();

    /// <summary>Forward, PPO loss, backward, clip to 0.5, Adam.</summary>
    [Benchmark]
    public float MinibatchUpdate()
    {
        _model.Evaluate(_observations, _actions, Batch, _newLogProbs, _entropy, _newValues);
        PpoLoss.Compute(
            _newLogProbs, _oldLogProbs, _advantages, _entropy, _newValues, _oldValues, _returns,
            new PpoLossCoefficients(0.2f, 0.01f, 0.5f, ClipVloss: true), _logProbGradients, _entropyGradients, _valueGradients);
        Gradients.ZeroGrad(_parameters);
        _model.Backward(_logProbGradients, _entropyGradients, _valueGradients);
        var norm = Gradients.ClipGradNorm(_parameters, 0.5f);
        _adam.Step();
        return norm;
    }
}
