using BenchmarkDotNet.Attributes;
using Tempo.Algorithms.Learners.DataParallel;
using Tempo.Nn.Kernels;

namespace Tempo.Benchmarks.Kernels;

/// <summary>
/// The fixed cost of one call on each user of the worker threads, two threads, with empty work: a kernel split
/// (<see cref="Gemm"/> just above the smallest size that is split, 16 MFLOP), and a data-parallel learner's phase
/// (<see cref="LearnerRanks.Run"/>). Compare with <see cref="ForkJoinBenchmarks"/> for <see cref="KernelParallelism.Invoke"/>.
/// </summary>
public class WorkerGroupBenchmarks
{
    private static readonly Action<int> _nothing = _ => { };
    private readonly float[] _a = new float[256 * 128];
    private readonly float[] _b = new float[128 * 256];
    private readonly float[] _c = new float[256 * 256];
    private KernelParallelism _parallelism = null!;
    private LearnerRanks _ranks = null!;

    [GlobalSetup]
    public void Setup()
    {
        _parallelism = new KernelParallelism(2);
        _ranks = new LearnerRanks(2);
        Array.Fill(_a, 0.5f);
        Array.Fill(_b, 0.25f);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _parallelism.Dispose();
        _ranks.Dispose();
    }

    /// <summary>256×256×128 = 16.8 MFLOP, just above <see cref="KernelParallelism.MinimumParallelFlops"/>: split in two.</summary>
    [Benchmark]
    public void SplitGemm256x256x128() => Gemm.Multiply(Transpose.No, Transpose.No, 256, 256, 128, _a, 128, _b, 256, _c, 256, parallelism: _parallelism);

    [Benchmark]
    public void LearnerRanksPhase() => _ranks.Run(_nothing);
}
