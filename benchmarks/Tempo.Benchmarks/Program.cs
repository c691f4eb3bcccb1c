using Tempo.Benchmarks.Fleet;
using Tempo.Benchmarks.Kernels;

// `gemm-report [BenchmarkDotNet args]` prints SGEMM GFLOP/s and % of the measured FMA peak; `gemm-blocking [rounds]
// [MCxKCxNC ...]` compares GEMM blockings by CPU time in one process; `redis-throughput URL` the fleet
// transport's end-to-end rates; anything else goes to BenchmarkSwitcher.
if (args.Length > 0 && args[0] == "gemm-report")
{
    GemmReport.Run(args[1..]);
}
else if (args.Length > 0 && args[0] == "gemm-blocking")
{
    // `gemm-blocking [rounds] [MCxKCxNC ...]`: blockings side by side, by wall and CPU time (see GemmBlockingReport).
    GemmBlockingReport.Run(args[1..]);
}
else if (args.Length > 0 && args[0] == "redis-throughput")
{
    // `redis-throughput [redis://host:port]`: see benchmarks/redis/throughput.sh, which starts a server of its own.
    RedisThroughput.Run(args[1..]);
}
else
{
    BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
