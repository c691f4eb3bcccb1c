using Tempo.Benchmarks.Kernels;

// `gemm-report [BenchmarkDotNet args]` prints SGEMM GFLOP/s and % of the measured FMA peak; anything else goes to BenchmarkSwitcher.
if (args.Length > 0 && args[0] == "gemm-report")
{
    GemmReport.Run(args[1..]);
}
else
{
    BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
