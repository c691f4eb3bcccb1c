using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;
using Tempo.Nn.Kernels.Selection;

namespace Tempo.Benchmarks.Kernels;

/// <summary>Short iterations (so preemption on a shared machine shows up as outliers) plus GFLOP/s and %-of-peak columns.</summary>
public sealed class KernelBenchmarkConfig : ManualConfig
{
    /// <summary>The FMA peak of one core, measured once per process when a %-of-peak column is first shown.</summary>
    public static readonly Lazy<double> PeakPerCore = new(() => FmaPeak.Measure(1));

    /// <summary>Creates the configuration.</summary>
    public KernelBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithWarmupCount(5)
            .WithIterationCount(40)
            .WithIterationTime(TimeInterval.FromMilliseconds(10))
            .WithId("ShortSamples"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(
            new GflopsColumn(best: false, percentOfPeak: false, PeakPerCore),
            new GflopsColumn(best: true, percentOfPeak: false, PeakPerCore),
            new GflopsColumn(best: true, percentOfPeak: true, PeakPerCore));
    }
}
