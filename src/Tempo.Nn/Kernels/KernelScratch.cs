using System.Buffers;

namespace Tempo.Nn.Kernels;

/// <summary>Where kernels called without a <see cref="KernelParallelism"/> rent their packing blocks and convolution columns.</summary>
/// <remarks>
/// Not <see cref="ArrayPool{T}.Shared"/>: the shared pool frees its buffers on every gen-2 collection (all of them
/// under memory pressure), so after a collection caused by anything else in the process the next kernel call
/// allocated its scratch anew: 1.5 KB in a steady-state CNN pass on a busy machine, where the allocation tests ran
/// beside others. This pool keeps what was returned, so once every shape has been seen nothing is allocated. Up to
/// 2^27 floats per buffer (a 512 MiB column buffer still comes from the pool) and 32 buffers per size class.
/// </remarks>
internal static class KernelScratch
{
    /// <summary>The pool; rent and return in the same call.</summary>
    public static ArrayPool<float> Pool { get; } = ArrayPool<float>.Create(maxArrayLength: 1 << 27, maxArraysPerBucket: 32);
}
