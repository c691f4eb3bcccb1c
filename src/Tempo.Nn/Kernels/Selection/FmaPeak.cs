using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tempo.Nn.Kernels.Selection;

/// <summary>Measures this machine's fp32 FMA peak with a tight loop of 12 independent accumulators (short samples, best of).</summary>
/// <remarks>
/// Short (~0.2 ms) samples and the best of many make preemption by other processes show up only as outliers, which is
/// what a shared machine needs. The peak per core is what the GEMM figures are compared against.
/// </remarks>
public static class FmaPeak
{
    private const long Iterations = 20_000;

    /// <summary>Best GFLOP/s over all threads together, with Vector512 when accelerated, else Vector256.</summary>
    /// <param name="threads">Threads running the loop at once (each its own; the sum is returned).</param>
    /// <param name="samples">Samples per thread (~0.2 ms each with Vector512 at 259 GFLOP/s; longer on slower machines).</param>
    /// <returns>The best sample's rate, summed over the threads, in GFLOP/s.</returns>
    public static double Measure(int threads, int samples = 300)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        if (threads == 1)
        {
            return MeasureOne(samples);
        }

        var results = new double[threads];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            results[t] = MeasureOne(samples);
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        return results.Sum();
    }

    private static double MeasureOne(int samples)
    {
        var best = 0.0;
        var wide = Vector512.IsHardwareAccelerated;
        var flopsPerIteration = 12.0 * 2 * (wide ? 16 : 8);
        for (var s = 0; s < samples; s++)
        {
            var started = Stopwatch.GetTimestamp();
            var sink = wide ? Loop512(Iterations) : Loop256(Iterations);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (!float.IsFinite(sink))
            {
                // The loop converges to 1 in every lane; using its result keeps the JIT from dropping it.
                throw new InvalidOperationException("The FMA peak loop produced a non-finite value.");
            }

            best = Math.Max(best, Iterations * flopsPerIteration / seconds / 1e9);
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(long iterations)
    {
        var a0 = Vector512.Create(1f);
        Vector512<float> a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        var x = Vector512.Create(0.999f);
        var y = Vector512.Create(0.001f);
        for (var i = 0L; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y);
            a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y);
            a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y);
            a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y);
            a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y);
            a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y);
            a11 = Vector512.FusedMultiplyAdd(a11, x, y);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop256(long iterations)
    {
        var a0 = Vector256.Create(1f);
        Vector256<float> a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        var x = Vector256.Create(0.999f);
        var y = Vector256.Create(0.001f);
        for (var i = 0L; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, x, y);
            a1 = Vector256.FusedMultiplyAdd(a1, x, y);
            a2 = Vector256.FusedMultiplyAdd(a2, x, y);
            a3 = Vector256.FusedMultiplyAdd(a3, x, y);
            a4 = Vector256.FusedMultiplyAdd(a4, x, y);
            a5 = Vector256.FusedMultiplyAdd(a5, x, y);
            a6 = Vector256.FusedMultiplyAdd(a6, x, y);
            a7 = Vector256.FusedMultiplyAdd(a7, x, y);
            a8 = Vector256.FusedMultiplyAdd(a8, x, y);
            a9 = Vector256.FusedMultiplyAdd(a9, x, y);
            a10 = Vector256.FusedMultiplyAdd(a10, x, y);
            a11 = Vector256.FusedMultiplyAdd(a11, x, y);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
