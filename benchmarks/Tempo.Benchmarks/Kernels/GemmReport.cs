using System.Globalization;
using BenchmarkDotNet.Running;
using Tempo.Nn.Kernels.Selection;

namespace Tempo.Benchmarks.Kernels;

/// <summary>The <c>gemm-report</c> mode: measures the FMA peak, runs the SGEMM benchmarks with BenchmarkDotNet and prints a compact table.</summary>
public static class GemmReport
{
    /// <summary>Runs the report; extra arguments go to BenchmarkDotNet (e.g. --filter "*1024*").</summary>
    public static void Run(string[] benchmarkArguments)
    {
        Console.WriteLine($"CPU: {KernelSelection.Current.Cpu.Describe()}");
        Console.WriteLine($"Kernels: {KernelSelection.Current.Describe()}");
        var peak1 = KernelBenchmarkConfig.PeakPerCore.Value;
        var peak2 = FmaPeak.Measure(2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FMA peak: {peak1:F1} GFLOP/s on 1 thread, {peak2:F1} GFLOP/s on 2 threads (best of short samples)."));
        var arguments = benchmarkArguments.Length > 0 ? benchmarkArguments : ["--filter", "*SgemmBenchmarks*"];
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(GemmReport).Assembly).Run(arguments);
        Console.WriteLine();
        Console.WriteLine("case                              threads  median µs   GFLOP/s median   GFLOP/s best   % of peak (best)");
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                var parameters = report.BenchmarkCase.Parameters;
                var label = string.Join(' ', parameters.Items.Where(p => p.Name != "Threads").Select(p => p.Value?.ToString()));
                var threads = parameters.Items.FirstOrDefault(p => p.Name == "Threads")?.Value ?? 1;
                var median = report.ResultStatistics?.Median / 1000;
                var medianRate = GflopsColumn.Compute(summary, report.BenchmarkCase, best: false, percentOfPeak: false, KernelBenchmarkConfig.PeakPerCore);
                var bestRate = GflopsColumn.Compute(summary, report.BenchmarkCase, best: true, percentOfPeak: false, KernelBenchmarkConfig.PeakPerCore);
                var percent = GflopsColumn.Compute(summary, report.BenchmarkCase, best: true, percentOfPeak: true, KernelBenchmarkConfig.PeakPerCore);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-34}{threads,7}{median,11:F3}{medianRate,17:F1}{bestRate,15:F1}{percent,19:F1}"));
            }
        }
    }
}
