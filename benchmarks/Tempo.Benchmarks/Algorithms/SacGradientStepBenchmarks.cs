using BenchmarkDotNet.Attributes;
using Tempo.Algorithms.Sac;
using Tempo.Core.Seeding;
using Tempo.Nn.Kernels;

namespace Tempo.Benchmarks.Algorithms;

/// <summary>
/// SAC's training per env step as sac_continuous_action.py takes it on Pendulum-v1 (actor and two critics 256-256, batch
/// 256): one critic step every env step and, with policy-frequency 2, two actor and α steps every second one, so
/// <see cref="TrainPerEnvStep"/> averages an odd and an even step. The parts on their own show where the time goes. One
/// kernel thread (the script's PyTorch runs on one) or two (tempo's default on this machine's two cores).
/// </summary>
[MemoryDiagnoser]
public class SacGradientStepBenchmarks
{
    private SacLearner _learner = null!;
    private KernelParallelism? _parallelism;
    private long _step;

    /// <summary>Kernel threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parallelism = Threads > 1 ? new KernelParallelism(Threads) : null;
        var options = new SacOptions { BufferSize = 20_000, LearningStarts = 0 };
        var weights = new Random(1);
        int[] hidden = [256, 256];
        var actor = new SacActor(3, 1, hidden, weights) { Parallelism = _parallelism };
        var qf1 = new SoftQNetwork(3, 1, hidden, weights) { Parallelism = _parallelism };
        var qf2 = new SoftQNetwork(3, 1, hidden, weights) { Parallelism = _parallelism };
        _learner = new SacLearner(actor, qf1, qf2, [-2f], [2f], options, new RandomSource(1));
        var random = new Random(2);
        var observation = new float[3];
        var next = new float[3];
        for (var t = 0; t < options.BufferSize; t++)
        {
            next.AsSpan().CopyTo(observation);
            for (var i = 0; i < 3; i++)
            {
                next[i] = (float)((random.NextDouble() * 2) - 1);
            }

            _learner.Replay.Add(0, observation, [(float)((random.NextDouble() * 4) - 2)], (float)(-16 * random.NextDouble()), false, t % 200 == 199, next);
        }

        TrainPerEnvStep();
    }

    [GlobalCleanup]
    public void Cleanup() => _parallelism?.Dispose();

    /// <summary>Two env steps' training (odd: critics; even: critics, two actor and α steps) and their target updates, halved by <see cref="BenchmarkDotNet.Attributes.BenchmarkAttribute.OperationsPerInvoke"/>.</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public void TrainPerEnvStep()
    {
        _learner.TrainAt(++_step);
        _learner.TrainAt(++_step);
    }
}
