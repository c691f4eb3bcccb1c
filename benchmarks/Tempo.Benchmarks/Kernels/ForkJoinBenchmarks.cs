using BenchmarkDotNet.Attributes;
using Tempo.Nn.Kernels;

namespace Tempo.Benchmarks.Kernels;

/// <summary>
/// The fixed cost of one fork and join on <see cref="KernelParallelism"/>: what running the actor's and critic's passes
/// at once must win back. Back to back, and with 20 µs of caller work between calls, as between a PPO update's passes.
/// </summary>
public class ForkJoinBenchmarks
{
    private static readonly Action _nothing = () => { };
    private KernelParallelism _parallelism = null!;

    [GlobalSetup]
    public void Setup() => _parallelism = new KernelParallelism(2);

    [GlobalCleanup]
    public void Cleanup() => _parallelism.Dispose();

    [Benchmark(Baseline = true)]
    public void InvokeBackToBack() => _parallelism.Invoke(_nothing, _nothing);

    [Benchmark]
    public void InvokeAfter20Microseconds()
    {
        var until = System.Diagnostics.Stopwatch.GetTimestamp() + (System.Diagnostics.Stopwatch.Frequency / 50_000);
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(10);
        }

        _parallelism.Invoke(_nothing, _nothing);
    }
}
