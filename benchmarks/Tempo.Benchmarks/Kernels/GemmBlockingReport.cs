using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tempo.Nn.Kernels;
using Tempo.Nn.Kernels.Selection;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Benchmarks.Kernels;

/// <summary>
/// The <c>gemm-blocking</c> mode: SGEMM rates of several cache blockings side by side, alternated within one run, timed
/// by wall clock and by CPU time (thread CPU for one thread, process CPU for two), medians; before them the packed
/// GEMM's parts alone: the micro-kernel on cache-resident panels (its ceiling), packing a 1024³ problem's operands once,
/// and the FMA peak. Linux only (clock_gettime, /proc/loadavg).
/// </summary>
/// <remarks>
/// CPU time counts no time spent descheduled, so on a busy machine it still compares blockings fairly (wall time then
/// says little); with two threads process CPU time counts spinning and repacking but not waiting for a core.
/// </remarks>
public static unsafe class GemmBlockingReport
{
    /// <summary>CLOCK_THREAD_CPUTIME_ID: this thread's CPU time, which does not count time spent descheduled.</summary>
    private const int ThreadCpuClock = 3;

    /// <summary>CLOCK_PROCESS_CPUTIME_ID: every thread's CPU time, for two-thread calls (spinning and repacking count).</summary>
    private const int ProcessCpuClock = 2;

    /// <summary>Runs the report: <c>gemm-blocking [rounds] [MCxKCxNC …]</c>; without blockings, the selection's and a few others.</summary>
    public static void Run(string[] arguments)
    {
        var rounds = arguments.Length > 0 && int.TryParse(arguments[0], CultureInfo.InvariantCulture, out var r) ? r : 7;
        var blockings = arguments.Skip(1).Select(text => KernelOptions.Parse("blocks=" + text).Blocking!.Value).ToList();
        if (blockings.Count == 0)
        {
            blockings = [KernelSelection.Current.Blocking, new GemmBlocking(128, 256, 2048), new GemmBlocking(512, 128, 4096)];
        }

        blockings = blockings.Distinct().ToList();
        Console.WriteLine($"CPU: {KernelSelection.Current.Cpu.Describe()}");
        Console.WriteLine($"Kernels: {KernelSelection.Current.Describe()}");
        Console.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}");
        (string Name, Transpose A, Transpose B, int M, int N, int K)[] shapes =
        [
            ("NN 1024³", Transpose.No, Transpose.No, 1024, 1024, 1024),
            ("NT 1024³", Transpose.No, Transpose.Yes, 1024, 1024, 1024),
            ("TN 1024³", Transpose.Yes, Transpose.No, 1024, 1024, 1024),
            ("NN 4096×64×64", Transpose.No, Transpose.No, 4096, 64, 64),
            ("NT 4096×64×64", Transpose.No, Transpose.Yes, 4096, 64, 64),
            ("TN 4096×64×64", Transpose.Yes, Transpose.No, 4096, 64, 64),
        ];
        var random = new Random(1);
        foreach (var depth in new[] { 128, 256, 384 })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"micro-kernel alone (512×{depth} A block, {depth}×32 B panel, C 512×32 accumulated), 1 thread CPU: {MicroKernelRate(depth, rounds):F1} GFLOP/s"));
        }

        foreach (var (transA, transB) in new[] { (false, false), (false, true), (true, false) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"packing 1024³ {(transA ? 'T' : 'N')}{(transB ? 'T' : 'N')} once (KC 256, MC 512), 1 thread CPU: {PackingMilliseconds(transA, transB, rounds):F3} ms"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FMA peak (wall, best of short samples): {FmaPeak.Measure(1):F1} GFLOP/s on 1 thread, {FmaPeak.Measure(2):F1} on 2"));
        Console.WriteLine("shape            threads  blocking            wall GFLOP/s   CPU GFLOP/s   (medians)");
        foreach (var shape in shapes)
        {
            var a = Fill(shape.M * shape.K, random);
            var b = Fill(shape.K * shape.N, random);
            var c = new float[shape.M * shape.N];
            var lda = shape.A == Transpose.No ? shape.K : shape.M;
            var ldb = shape.B == Transpose.No ? shape.N : shape.K;
            var flops = 2.0 * shape.M * shape.N * shape.K;
            var repeats = Math.Max(1, (int)(1e10 / flops));
            foreach (var threads in new[] { 1, 2 })
            {
                var parallelisms = blockings.Select(blocking => new KernelParallelism(threads, blocking)).ToArray();
                var wall = blockings.Select(_ => new List<double>()).ToArray();
                var cpu = blockings.Select(_ => new List<double>()).ToArray();
                for (var round = -1; round < rounds; round++)
                {
                    for (var i = 0; i < blockings.Count; i++)
                    {
                        var clock = threads == 1 ? ThreadCpuClock : ProcessCpuClock;
                        var cpu0 = CpuSeconds(clock);
                        var start = Stopwatch.GetTimestamp();
                        for (var repeat = 0; repeat < repeats; repeat++)
                        {
                            Gemm.Multiply(shape.A, shape.B, shape.M, shape.N, shape.K, a, lda, b, ldb, c, shape.N, 0f, parallelisms[i]);
                        }

                        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                        var cpuSeconds = CpuSeconds(clock) - cpu0;
                        if (round >= 0)
                        {
                            wall[i].Add(flops * repeats / seconds / 1e9);
                            cpu[i].Add(flops * repeats / cpuSeconds / 1e9 * threads);
                        }
                    }
                }

                for (var i = 0; i < blockings.Count; i++)
                {
                    var blocking = blockings[i];
                    var label = string.Create(CultureInfo.InvariantCulture, $"{blocking.RowBlock}×{blocking.DepthBlock}×{blocking.ColumnBlock}");
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{shape.Name,-17}{threads,7}  {label,-18}{Median(wall[i]),13:F1}{Median(cpu[i]),14:F1}"));
                    parallelisms[i].Dispose();
                }
            }
        }

        Console.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("CPU GFLOP/s with two threads is FLOPs per process CPU-second × 2: the rate two fully available cores would reach.");
    }

    /// <summary>The micro-kernel's rate on cache-resident panels (no packing, no memory traffic): the packed GEMM's ceiling.</summary>
    private static double MicroKernelRate(int depth, int rounds)
    {
        const int rows = 512;
        var aArray = GC.AllocateArray<float>((rows * depth) + 16, pinned: true);
        var a = GemmWorkspace.Aligned(aArray);
        var bArray = GC.AllocateArray<float>((depth * 32) + 16, pinned: true);
        var b = GemmWorkspace.Aligned(bArray);
        var cArray = GC.AllocateArray<float>((rows * 32) + 16, pinned: true);
        var c = GemmWorkspace.Aligned(cArray);
        var samples = new List<double>();
        var repeats = (int)(2e9 / (2.0 * rows * 32 * depth));
        for (var round = -1; round < rounds; round++)
        {
            var cpu0 = CpuSeconds(ThreadCpuClock);
            for (var repeat = 0; repeat < repeats; repeat++)
            {
                for (var ir = 0; ir < rows; ir += 8)
                {
                    MicroKernels.Kernel8<Simd512, Vector512<float>>(depth, a + (ir * depth), 8, b, c + (ir * 32), 32, 8, 32, 1f);
                }
            }

            var seconds = CpuSeconds(ThreadCpuClock) - cpu0;
            if (round >= 0)
            {
                samples.Add(2.0 * rows * 32 * depth * repeats / seconds / 1e9);
            }
        }

        GC.KeepAlive(aArray);
        GC.KeepAlive(bArray);
        GC.KeepAlive(cArray);
        return Median(samples);
    }

    /// <summary>CPU time to pack both operands of a 1024³ problem once, as the packed GEMM does.</summary>
    private static double PackingMilliseconds(bool transA, bool transB, int rounds)
    {
        const int n = 1024, kc = 256, mc = 512;
        var aArray = GC.AllocateArray<float>((n * n) + 16, pinned: true);
        var a = GemmWorkspace.Aligned(aArray);
        var bArray = GC.AllocateArray<float>((n * n) + 16, pinned: true);
        var b = GemmWorkspace.Aligned(bArray);
        var packedAArray = GC.AllocateArray<float>((mc * kc) + 16, pinned: true);
        var packedA = GemmWorkspace.Aligned(packedAArray);
        var packedBArray = GC.AllocateArray<float>((kc * n) + 16, pinned: true);
        var packedB = GemmWorkspace.Aligned(packedBArray);
        var problem = new GemmProblem
        {
            A = a,
            RowStrideA = transA ? 1 : n,
            ColumnStrideA = transA ? n : 1,
            B = b,
            RowStrideB = transB ? 1 : n,
            ColumnStrideB = transB ? n : 1,
            M = n,
            N = n,
            K = n,
        };
        var samples = new List<double>();
        for (var round = -1; round < rounds; round++)
        {
            var cpu0 = CpuSeconds(ThreadCpuClock);
            for (var repeat = 0; repeat < 10; repeat++)
            {
                for (var pc = 0; pc < n; pc += kc)
                {
                    PackedGemm.PackB<Simd512, Vector512<float>>(problem, pc, 0, kc, n, packedB, 32);
                    for (var ic = 0; ic < n; ic += mc)
                    {
                        PackedGemm.PackA(problem, ic, pc, mc, kc, packedA, 8);
                    }
                }
            }

            if (round >= 0)
            {
                samples.Add((CpuSeconds(ThreadCpuClock) - cpu0) / 10 * 1e3);
            }
        }

        GC.KeepAlive(aArray);
        GC.KeepAlive(bArray);
        GC.KeepAlive(packedAArray);
        GC.KeepAlive(packedBArray);
        return Median(samples);
    }

    private static float[] Fill(int count, Random random)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        return values;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? double.NaN : values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    private static double CpuSeconds(int clock)
    {
        TimeSpec time;
        return ClockGetTime(clock, &time) == 0 ? time.Seconds + (time.Nanoseconds * 1e-9) : double.NaN;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, TimeSpec* time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
