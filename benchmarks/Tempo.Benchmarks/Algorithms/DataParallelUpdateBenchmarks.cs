using BenchmarkDotNet.Attributes;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Learners.DataParallel;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Seeding;
using Tempo.Nn.Kernels;

namespace Tempo.Benchmarks.Algorithms;

/// <summary>
/// One whole PPO update (4 epochs × 4 minibatches, CleanRL's) by one learner on two kernel threads (today's path) or by
/// two data-parallel ranks of one kernel thread each (<c>--num-learners 2</c>), over the same batch: CartPole's MLP on
/// CleanRL's 4 envs × 128 steps, and the Nature CNN on <c>configs/ppo/catch-atari.json</c>'s 8 envs × 128 steps of 4×84×84 frames.
/// </summary>
[MemoryDiagnoser]
public class DataParallelUpdateBenchmarks
{
    private const int Steps = 128;
    private readonly List<IDisposable> _owned = [];
    private Func<LearnerStatistics> _update = null!;

    /// <summary>The network.</summary>
    public enum NetworkKind
    {
        /// <summary>CartPole's actor-critic MLP, 64 × 64.</summary>
        Mlp,

        /// <summary>The Nature CNN over 4×84×84 byte frames, 512 wide.</summary>
        NatureCnn,
    }

    /// <summary>The network trained.</summary>
    [Params(NetworkKind.Mlp, NetworkKind.NatureCnn)]
    public NetworkKind Network { get; set; }

    /// <summary>Data-parallel ranks: 1 with two kernel threads, 2 with one each.</summary>
    [Params(1, 2)]
    public int Learners { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new PpoOptions { NumMinibatches = 4, UpdateEpochs = 4, LearningRate = 2.5e-4, AnnealLr = false };
        var parallelisms = Enumerable.Range(0, Learners).Select(_ => Own(new KernelParallelism(2 / Learners))).ToArray();
        var ranks = Own(new LearnerRanks(Learners));
        var random = new RandomSource(3);
        if (Network == NetworkKind.Mlp)
        {
            var replicas = parallelisms.Select(p => (IActorCritic<float, int>)new CategoricalMlpActorCritic(4, 2, [64, 64], new RandomSource(1)) { Parallelism = p }).ToArray();
            var learner = Learner(replicas, options, totalEnvs: 4);
            var segments = Segments<float>(Learners, 4 / Learners, 4, random, (span, r) => Fill(span, r, v => (float)((v * 2) - 1)));
            _update = () => learner.Update(segments);
        }
        else
        {
            var replicas = parallelisms.Select(p => CategoricalCnnActorCritic.ForObservationShape([4, 84, 84], 3, new RandomSource(1), 512, p)).ToArray();
            var learner = Learner(replicas, options, totalEnvs: 8);
            var segments = Segments<byte>(Learners, 8 / Learners, 4 * 84 * 84, random, (span, r) => Fill(span, r, v => (byte)(v * 256)));
            _update = () => learner.Update(segments);
        }

        _update();
    }

    [GlobalCleanup]
    public void Cleanup() => _owned.ForEach(o => o.Dispose());

    /// <summary>GAE, then 16 minibatch steps (forward, loss, backward, all-reduce when K = 2, clip, Adam).</summary>
    [Benchmark]
    public LearnerStatistics Update() => _update();

    private static Segment<TObservation, int>[] Segments<TObservation>(int count, int envs, int observationSize, Random random, Action<Span<TObservation>, Random> fill)
        where TObservation : unmanaged =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var segment = new Segment<TObservation, int>(new SegmentLayout(Steps, envs, observationSize, 1));
            fill(segment.Observations, random);
            fill(segment.BootstrapObservations, random);
            for (var k = 0; k < Steps * envs; k++)
            {
                segment.Actions[k] = random.Next(2);
                segment.BehaviourLogProbs[k] = -0.69f;
                segment.BehaviourValues[k] = (float)random.NextDouble();
                segment.Rewards[k] = 1f;
                segment.Terminated[k] = random.Next(40) == 0;
            }

            return segment;
        })];

    private static void Fill<T>(Span<T> span, Random random, Func<double, T> value)
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = value(random.NextDouble());
        }
    }

    private PpoLearner<TObservation, int> Learner<TObservation>(IActorCritic<TObservation, int>[] replicas, PpoOptions options, int totalEnvs)
        where TObservation : unmanaged =>
        new(replicas, options, new LearnerShape(totalEnvs, Steps, 1_000_000), [.. Enumerable.Range(0, Learners).Select(r => new RandomSource(2 + r))], Learners > 1 ? _owned.OfType<LearnerRanks>().Single() : null);

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
