using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Tempo.Nn.Kernels.Selection;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>Chooses a kernel for a validated <see cref="GemmProblem"/>, finds its scratch memory and splits it across threads.</summary>
[SkipLocalsInit]
internal static unsafe class GemmCore
{
    /// <summary>Below this many multiply-adds the direct kernels beat packing for any shape.</summary>
    private const long SmallMultiplyAdds = 64 * 64 * 128;

    /// <summary>Scratch of up to this many floats lives on the stack when no workspace is given.</summary>
    private const int StackScratchFloats = 2048;

    /// <summary>Largest operand (in floats) packed once and shared; larger ones are repacked per chunk instead of holding that much memory.</summary>
    private const long MaxSharedFloats = 8L << 20;

    /// <summary>Rows (A) or columns (B) per packing unit handed out to the threads: 8 micro-panels.</summary>
    private const int PanelsPerPackUnit = 8;

    private enum Kernel
    {
        Direct,
        DirectTransposedB,
        Dot,
        Packed,
    }

    /// <summary>Computes the problem with the given vector path and strategy, on <paramref name="parallelism"/>'s threads when large.</summary>
    /// <param name="path">The vector width.</param>
    /// <param name="strategy">The kernel family, or <see cref="GemmStrategy.Auto"/>.</param>
    /// <param name="problem">The validated problem.</param>
    /// <param name="parallelism">Threads and their workspaces, or null.</param>
    /// <param name="workspace">When <paramref name="parallelism"/> is null: the workspace of the calling thread, or null to rent scratch.</param>
    public static void Execute(SimdPath path, GemmStrategy strategy, in GemmProblem problem, KernelParallelism? parallelism, GemmWorkspace? workspace = null)
    {
        if (problem.M == 0 || problem.N == 0)
        {
            return;
        }

        if (problem.K == 0 || path == SimdPath.Scalar)
        {
            if (problem.K == 0)
            {
                ScaleOnly(path, problem);
            }
            else
            {
                ScalarGemm.Run(problem);
            }

            return;
        }

        var width = Width(path);
        if (strategy == GemmStrategy.Auto && IsNarrowWithColumnMajorA(problem, width))
        {
            ExecuteSwapped(path, problem);
            return;
        }

        var kernel = Choose(strategy, problem, width);
        var parts = parallelism is { ThreadCount: > 1 } && problem.Flops >= KernelParallelism.MinimumParallelFlops ? parallelism.ThreadCount : 1;
        var job = new Job { Problem = problem, Path = path, Kernel = kernel, MaskedEdges = strategy != GemmStrategy.DirectScratchEdges };
        switch (kernel)
        {
            case Kernel.Dot:
                if (parts == 1)
                {
                    RunDot(path, problem);
                    return;
                }

                break;

            case Kernel.Direct:
                var scratch = job.MaskedEdges && HasMaskedMemory(path) ? 0 : DirectGemm.ScratchFloats(problem, width, paddedB: false);
                if (parts == 1 && scratch <= StackScratchFloats)
                {
                    var stack = stackalloc float[StackScratchFloats];
                    RunDirect(path, problem, stack, paddedB: false, strategy != GemmStrategy.DirectScratchEdges);
                    return;
                }

                break;

            case Kernel.DirectTransposedB:
                ExecuteTransposedB(ref job, width, parts, parallelism, workspace);
                return;
        }

        Dispatch(ref job, parts, parallelism, workspace);
    }

    /// <summary>
    /// A result a few columns wide from a transposed A, e.g. a first layer's weight gradient gᵀ·x with 4 inputs:
    /// every kernel would either waste most vector lanes on the narrow rows or walk A down its columns.
    /// </summary>
    private static bool IsNarrowWithColumnMajorA(in GemmProblem problem, int width) =>
        problem.RowStrideA == 1 && problem.ColumnStrideA != 1 && problem.N <= width / 4 && problem.M >= 2 * width
        && (long)problem.M * problem.N <= StackScratchFloats && problem.Epilogue.IsNone;

    /// <summary>Computes Cᵀ = op(B)ᵀ·op(A)ᵀ, whose rows are long and whose left operand is small, then adds it transposed into C.</summary>
    private static void ExecuteSwapped(SimdPath path, in GemmProblem problem)
    {
        var transposed = stackalloc float[StackScratchFloats];
        var swapped = new GemmProblem
        {
            A = problem.B,
            RowStrideA = problem.ColumnStrideB,
            ColumnStrideA = problem.RowStrideB,
            B = problem.A,
            RowStrideB = problem.ColumnStrideA,
            ColumnStrideB = problem.RowStrideA,
            C = transposed,
            Ldc = problem.M,
            M = problem.N,
            N = problem.M,
            K = problem.K,
        };
        Execute(path, GemmStrategy.Auto, swapped, parallelism: null);
        for (var i = 0; i < problem.M; i++)
        {
            var row = problem.C + (i * problem.Ldc);
            for (var j = 0; j < problem.N; j++)
            {
                var value = transposed[(j * problem.M) + i];
                row[j] = problem.Beta == 0f ? value : (problem.Beta * row[j]) + value;
            }
        }
    }

    /// <summary>C = β·C then the epilogue (K = 0, where op(A)·op(B) is the zero matrix).</summary>
    private static void ScaleOnly(SimdPath path, in GemmProblem problem)
    {
        for (var i = 0; i < problem.M; i++)
        {
            var row = problem.C + (i * problem.Ldc);
            for (var j = 0; j < problem.N; j++)
            {
                row[j] = problem.Beta == 0f ? 0f : problem.Beta * row[j];
            }
        }

        if (!problem.Epilogue.IsNone)
        {
            problem.Epilogue.Apply(path, problem.C, problem.Ldc, 0, problem.M, 0, problem.N);
        }
    }

    private static bool HasMaskedMemory(SimdPath path) => path switch
    {
        SimdPath.Vector512 => Simd512.HasMaskedMemory,
        SimdPath.Vector256 => Simd256.HasMaskedMemory,
        _ => Simd128.HasMaskedMemory,
    };

    private static int Width(SimdPath path) => path switch
    {
        SimdPath.Vector512 => 16,
        SimdPath.Vector256 => 8,
        _ => 4,
    };

    private static Kernel Choose(GemmStrategy strategy, in GemmProblem problem, int width)
    {
        var rowsContiguousB = problem.ColumnStrideB == 1;
        var dotPossible = problem.ColumnStrideA == 1 && problem.RowStrideB == 1;
        var transposedScratch = (long)problem.K * GemmBlocking.RoundUp(problem.N, width);
        switch (strategy)
        {
            case GemmStrategy.Packed:
                return Kernel.Packed;
            case GemmStrategy.Dot when dotPossible:
                return Kernel.Dot;
            case GemmStrategy.Direct or GemmStrategy.DirectScratchEdges or GemmStrategy.Dot:
                return rowsContiguousB ? Kernel.Direct : Kernel.DirectTransposedB;
        }

        long multiplyAdds = (long)problem.M * problem.N * problem.K;
        var smallOrSkinny = multiplyAdds <= SmallMultiplyAdds || problem.M < 8 || (problem.N <= 64 && (long)problem.K * problem.N <= 16 * 1024);
        if (problem.RowStrideA == 1 && problem.M >= 64 && multiplyAdds > SmallMultiplyAdds)
        {
            // Transposed A read in place walks down columns at stride lda: with many rows, packing it is cheaper.
            return Kernel.Packed;
        }

        if (rowsContiguousB)
        {
            return smallOrSkinny && problem.K * (long)width <= GemmBlocking.ScratchFloats ? Kernel.Direct : Kernel.Packed;
        }

        if (dotPossible && (problem.M <= 4 || (problem.K >= width && problem.N < width)))
        {
            return Kernel.Dot;
        }

        return smallOrSkinny && transposedScratch <= GemmBlocking.ScratchFloats ? Kernel.DirectTransposedB : Kernel.Packed;
    }

    /// <summary>Copies op(B) (stored transposed) into row-major scratch with rows padded to whole vectors, then runs the direct kernels.</summary>
    private static void ExecuteTransposedB(ref Job job, int width, int parts, KernelParallelism? parallelism, GemmWorkspace? workspace)
    {
        ref var problem = ref job.Problem;
        var stride = GemmBlocking.RoundUp(problem.N, width);
        var floats = (long)problem.K * stride;
        float[]? rented = null;
        var stack = stackalloc float[StackScratchFloats];
        float* scratch;
        var own = parallelism?.Workspace(0) ?? workspace;
        if (own is not null && floats <= GemmBlocking.ScratchFloats)
        {
            // The copy is shared read-only by every part; workspace 0 belongs to the calling thread.
            scratch = own.Buffers.Scratch;
        }
        else if (floats <= StackScratchFloats)
        {
            scratch = stack;
        }
        else
        {
            rented = KernelScratch.Pool.Rent((int)floats + 16);
            scratch = null;
        }

        try
        {
            fixed (float* pool = rented)
            {
                if (rented is not null)
                {
                    scratch = (float*)(((nint)pool + 63) & ~(nint)63);
                }

                Transpose(problem, scratch, stride);
                problem.B = scratch;
                problem.RowStrideB = stride;
                problem.ColumnStrideB = 1;
                job.PaddedB = true;
                job.Kernel = Kernel.Direct;
                if (parts == 1)
                {
                    RunDirect(job.Path, problem, null, paddedB: true, maskedEdges: true);
                }
                else
                {
                    Dispatch(ref job, parts, parallelism, workspace);
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                KernelScratch.Pool.Return(rented);
            }
        }
    }

    /// <summary>scratch[p·stride + j] = op(B)(p, j) for j &lt; N, zero for N ≤ j &lt; stride.</summary>
    private static void Transpose(in GemmProblem problem, float* scratch, int stride)
    {
        int k = problem.K, n = problem.N;
        var b = problem.B;
        nint rowStride = problem.RowStrideB, columnStride = problem.ColumnStrideB;
        var p = 0;
        if (rowStride == 1 && Transpose8x8.IsSupported)
        {
            for (; p + 8 <= k; p += 8)
            {
                var j = 0;
                for (; j + 8 <= n; j += 8)
                {
                    Transpose8x8.Run(b + p + (j * columnStride), columnStride, scratch + ((nint)p * stride) + j, stride);
                }

                for (var q = p; q < p + 8; q++)
                {
                    var row = scratch + ((nint)q * stride);
                    for (var jj = j; jj < n; jj++)
                    {
                        row[jj] = b[q + (jj * columnStride)];
                    }
                }
            }
        }

        for (; p < k; p++)
        {
            var row = scratch + ((nint)p * stride);
            var source = b + (p * rowStride);
            for (var j = 0; j < n; j++)
            {
                row[j] = source[j * columnStride];
            }
        }

        for (p = 0; p < k; p++)
        {
            new Span<float>(scratch + ((nint)p * stride) + n, stride - n).Clear();
        }
    }

    /// <summary>Runs the job on <paramref name="parts"/> threads, or with pooled buffers when there is no workspace.</summary>
    private static void Dispatch(ref Job job, int parts, KernelParallelism? parallelism, GemmWorkspace? workspace)
    {
        if (parallelism is null && workspace is not null)
        {
            RunRange(ref job, 1, workspace.Buffers);
            return;
        }

        if (parallelism is not null)
        {
            if (job.Kernel == Kernel.Packed && parts > 1)
            {
                ShareOperand(ref job, parallelism);
            }

            fixed (Job* state = &job)
            {
                parallelism.Run(&RunPart, state, parts);
            }

            return;
        }

        // No workspace: rent the packing blocks for this call only (the pool keeps them for the next one).
        var blocking = KernelSelection.Current.Blocking;
        var needsPacking = job.Kernel == Kernel.Packed;
        var aFloats = needsPacking ? Math.Min(blocking.PackedAFloats, (GemmBlocking.RoundUp(job.Problem.M, MicroKernels.MaxRows) * Math.Min(blocking.DepthBlock, job.Problem.K)) + 16) : 16;
        var bFloats = needsPacking ? (int)Math.Min(blocking.PackedBFloats, (long)GemmBlocking.RoundUp(job.Problem.N, MicroKernels.MaxColumns) * Math.Min(blocking.DepthBlock, job.Problem.K)) + 16 : 16;
        var scratchFloats = job.Kernel == Kernel.Direct ? (int)DirectGemm.ScratchFloats(job.Problem, Width(job.Path), job.PaddedB) + 16 : 16;
        var packedA = KernelScratch.Pool.Rent(aFloats + 16);
        var packedB = KernelScratch.Pool.Rent(bFloats + 16);
        var scratch = KernelScratch.Pool.Rent(scratchFloats + 16);
        try
        {
            fixed (float* a = packedA, b = packedB, s = scratch)
            {
                var buffers = new GemmBuffers(blocking, Align(a), Align(b), Align(s), scratchFloats);
                RunRange(ref job, 1, buffers);
            }
        }
        finally
        {
            KernelScratch.Pool.Return(scratch);
            KernelScratch.Pool.Return(packedB);
            KernelScratch.Pool.Return(packedA);
        }
    }

    private static float* Align(float* pointer) => (float*)(((nint)pointer + 63) & ~(nint)63);

    /// <summary>The body every thread of a parallel call runs (which part it is does not matter: chunks are handed out).</summary>
    private static void RunPart(void* state, int part, int parts, GemmWorkspace workspace) =>
        RunRange(ref *(Job*)state, parts, workspace.Buffers);

    /// <summary>
    /// Runs the whole problem (one part) or, with several parts, takes chunks (bands of rows, or of columns when there
    /// are few rows) from a shared counter until none are left.
    /// </summary>
    /// <remarks>
    /// Several chunks per thread, handed out on demand, keep a thread whose core is busy with other work from holding up
    /// the call: a static half-and-half split runs at the speed of the slower core. Chunk boundaries depend only on
    /// the shape, so every output element is computed the same way whichever thread takes its chunk.
    /// </remarks>
    private static void RunRange(ref Job job, int parts, in GemmBuffers buffers)
    {
        if (parts <= 1)
        {
            RunKernel(ref job, job.Problem, buffers);
            return;
        }

        var problem = job.Problem;
        if (job.Shared.Panels != null)
        {
            PackShared(ref job, buffers.Blocking);
        }

        var splitRows = job.Kernel == Kernel.Packed ? SplitsRows(problem) : problem.M >= 8 * parts;
        var extent = splitRows ? problem.M : problem.N;
        var alignment = splitRows ? MicroKernels.MaxRows : MicroKernels.MaxColumns;

        // About three chunks per thread. Packed chunks that repack the other operand (too large to share) stay large
        // enough (256 rows or 128 columns) to keep that repacking to a few percent of the arithmetic.
        var minimum = job.Kernel != Kernel.Packed || job.Shared.Panels != null ? alignment : splitRows ? 256 : 128;
        var chunk = Math.Max(minimum, GemmBlocking.RoundUp((extent + (3 * parts) - 1) / (3 * parts), alignment));
        while (true)
        {
            var index = Interlocked.Increment(ref job.NextChunk) - 1;
            var start = (long)index * chunk;
            if (start >= extent)
            {
                return;
            }

            var count = (int)Math.Min(extent - start, chunk);
            var slice = splitRows ? problem.Slice((int)start, count, 0, problem.N) : problem.Slice(0, problem.M, (int)start, count);
            RunKernel(ref job, slice, buffers);
        }
    }

    /// <summary>Whether a parallel packed call splits C by rows (sharing op(B)) rather than by columns (sharing op(A)).</summary>
    private static bool SplitsRows(in GemmProblem problem) => problem.M >= problem.N;

    /// <summary>Sets up the operand every chunk needs in full (op(B) for a row split, op(A) for a column split) to be packed once, by all threads together.</summary>
    private static void ShareOperand(ref Job job, KernelParallelism parallelism)
    {
        ref var problem = ref job.Problem;
        var (microRows, microColumns) = MicroKernels.Tile(job.Path);
        var holdsA = !SplitsRows(problem);
        var extent = holdsA ? problem.M : problem.N;
        var micro = holdsA ? microRows : microColumns;
        var floats = SharedPanels.Floats(problem.K, extent, micro);
        if (floats > MaxSharedFloats)
        {
            return;
        }

        var blocking = parallelism.Workspace(0).Blocking;
        job.Shared = new SharedPanels(parallelism.Workspace(0).Shared(floats), GemmBlocking.RoundUp(extent, micro), holdsA);
        var depthBlocks = (problem.K + blocking.DepthBlock - 1) / blocking.DepthBlock;
        var groups = (extent + (PanelsPerPackUnit * micro) - 1) / (PanelsPerPackUnit * micro);
        job.PackUnits = depthBlocks * groups;
    }

    /// <summary>
    /// Packs units of the shared operand (taken from a counter) until none are left, then waits until every unit is
    /// packed: a thread that arrives late finds the packing done and goes straight to the arithmetic.
    /// </summary>
    private static void PackShared(ref Job job, GemmBlocking blocking)
    {
        ref readonly var problem = ref job.Problem;
        var shared = job.Shared;
        var (microRows, microColumns) = MicroKernels.Tile(job.Path);
        var micro = shared.HoldsA ? microRows : microColumns;
        var groupExtent = PanelsPerPackUnit * micro;
        var extent = shared.HoldsA ? problem.M : problem.N;
        var groups = (extent + groupExtent - 1) / groupExtent;
        while (true)
        {
            var unit = Interlocked.Increment(ref job.NextPackUnit) - 1;
            if (unit >= job.PackUnits)
            {
                break;
            }

            try
            {
                var depth0 = unit / groups * blocking.DepthBlock;
                var depth = Math.Min(blocking.DepthBlock, problem.K - depth0);
                var index0 = unit % groups * groupExtent;
                var count = Math.Min(groupExtent, extent - index0);
                var destination = shared.Block(depth0, index0, depth);
                if (shared.HoldsA)
                {
                    PackedGemm.PackA(problem, index0, depth0, count, depth, destination, microRows);
                }
                else
                {
                    switch (job.Path)
                    {
                        case SimdPath.Vector512: PackedGemm.PackB<Simd512, Vector512<float>>(problem, depth0, index0, depth, count, destination, microColumns); break;
                        case SimdPath.Vector256: PackedGemm.PackB<Simd256, Vector256<float>>(problem, depth0, index0, depth, count, destination, microColumns); break;
                        default: PackedGemm.PackB<Simd128, Vector128<float>>(problem, depth0, index0, depth, count, destination, microColumns); break;
                    }
                }
            }
            finally
            {
                // Counted even if packing threw, so no thread waits forever; the exception reaches the caller.
                Interlocked.Increment(ref job.PackedUnits);
            }
        }

        var spinner = default(SpinWait);
        while (Volatile.Read(ref job.PackedUnits) < job.PackUnits)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private static void RunKernel(ref Job job, in GemmProblem problem, in GemmBuffers buffers)
    {
        switch (job.Kernel)
        {
            case Kernel.Packed:
                RunPacked(job.Path, problem, buffers, job.Shared);
                break;
            case Kernel.Dot:
                RunDot(job.Path, problem);
                break;
            default:
                RunDirect(job.Path, problem, buffers.Scratch, job.PaddedB, job.MaskedEdges);
                break;
        }
    }

    private static void RunPacked(SimdPath path, in GemmProblem problem, in GemmBuffers buffers, in SharedPanels shared = default)
    {
        switch (path)
        {
            case SimdPath.Vector512: PackedGemm.Run<Simd512, Vector512<float>>(problem, buffers, MicroKernels.Tile(path).Rows, shared); break;
            case SimdPath.Vector256: PackedGemm.Run<Simd256, Vector256<float>>(problem, buffers, MicroKernels.Tile(path).Rows, shared); break;
            default: PackedGemm.Run<Simd128, Vector128<float>>(problem, buffers, MicroKernels.Tile(SimdPath.Vector128).Rows, shared); break;
        }
    }

    private static void RunDirect(SimdPath path, in GemmProblem problem, float* scratch, bool paddedB, bool maskedEdges)
    {
        switch (path)
        {
            case SimdPath.Vector512: DirectGemm.Run<Simd512, Vector512<float>>(problem, scratch, paddedB, maskedEdges); break;
            case SimdPath.Vector256: DirectGemm.Run<Simd256, Vector256<float>>(problem, scratch, paddedB, maskedEdges); break;
            default: DirectGemm.Run<Simd128, Vector128<float>>(problem, scratch, paddedB, maskedEdges); break;
        }
    }

    private static void RunDot(SimdPath path, in GemmProblem problem)
    {
        switch (path)
        {
            case SimdPath.Vector512: DotGemm.Run<Simd512, Vector512<float>>(problem); break;
            case SimdPath.Vector256: DotGemm.Run<Simd256, Vector256<float>>(problem); break;
            default: DotGemm.Run<Simd128, Vector128<float>>(problem); break;
        }
    }

    /// <summary>What the threads of one call share (lives on the caller's stack for the duration of the call).</summary>
    private struct Job
    {
        public GemmProblem Problem;
        public SimdPath Path;
        public Kernel Kernel;
        public bool PaddedB;
        public bool MaskedEdges;

        /// <summary>The next chunk to hand out when several threads share the call.</summary>
        public int NextChunk;

        /// <summary>The operand packed once for all threads, or none.</summary>
        public SharedPanels Shared;

        /// <summary>Units the shared operand is packed in.</summary>
        public int PackUnits;

        /// <summary>The next packing unit to hand out.</summary>
        public int NextPackUnit;

        /// <summary>Packing units finished.</summary>
        public int PackedUnits;
    }
}
