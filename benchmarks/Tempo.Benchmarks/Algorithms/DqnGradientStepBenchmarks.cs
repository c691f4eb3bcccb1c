using BenchmarkDotNet.Attributes;
using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Replay;
using Tempo.Core.Seeding;

namespace Tempo.Benchmarks.Algorithms;

/// <summary>
/// One DQN gradient step as dqn.py takes it on CartPole-v1 (Q-network 4-120-84-2, batch 128): draw a batch from a full
/// replay buffer, TD targets from the target network, MSE loss, backward and Adam. With Double DQN and prioritized
/// replay, the extra online pass over s′ and the sum-tree draws and priority updates. The parts on their own (drawing the
/// batch, one forward pass, the gradients, Adam) show where a step's time goes.
/// </summary>
[MemoryDiagnoser]
public class DqnGradientStepBenchmarks
{
    private DqnLearner _learner = null!;
    private ReplayBatch<float, int> _batch = null!;
    private float[] _tdErrors = null!;
    private RandomSource _random = null!;
    private DqnOptions _options = null!;

    /// <summary>Plain dqn.py, or Double DQN with prioritized replay.</summary>
    [Params(false, true)]
    public bool DoubleWithPriorities { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _options = new DqnOptions { DoubleDqn = DoubleWithPriorities, PrioritizedReplay = DoubleWithPriorities };
        _learner = new DqnLearner(new QNetwork(4, 2, [120, 84], dueling: false, new Random(1)), _options, 500_000, new RandomSource(1));
        var random = new Random(2);
        var observation = new float[4];
        var next = new float[4];
        for (var t = 0; t < _options.BufferSize; t++)
        {
            for (var i = 0; i < 4; i++)
            {
                observation[i] = next[i];
                next[i] = (float)((random.NextDouble() * 2) - 1);
            }

            _learner.Replay.Add(0, observation, [random.Next(2)], 1f, random.Next(50) == 0, false, next);
        }

        _batch = new ReplayBatch<float, int>(_options.BatchSize, 4, 1);
        _tdErrors = new float[_options.BatchSize];
        _random = new RandomSource(3);
        _learner.Replay.Sample(_batch, _random, beta: 0.4);
    }

    [Benchmark]
    public float GradientStep()
    {
        _learner.Replay.Sample(_batch, _random, beta: 0.4);
        var loss = _learner.ComputeGradients(_batch, _tdErrors, out _);
        _learner.Optimizers[0].Optimizer.Step();
        if (_options.PrioritizedReplay)
        {
            _learner.Replay.UpdatePriorities(_batch.Ids, _tdErrors);
        }

        return loss;
    }

    [Benchmark]
    public void Sample() => _learner.Replay.Sample(_batch, _random, beta: 0.4);

    [Benchmark]
    public float Forward() => _learner.Target.Forward(_batch.NextObservations, _batch.Size).Span[0];

    [Benchmark]
    public float Gradients() => _learner.ComputeGradients(_batch, _tdErrors, out _);

    [Benchmark]
    public void AdamStep() => _learner.Optimizers[0].Optimizer.Step();
}
