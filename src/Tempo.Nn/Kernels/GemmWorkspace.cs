using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tempo.Nn.Kernels;

/// <summary>The pinned scratch memory of one kernel thread: GEMM packing blocks, direct-kernel scratch and conv columns.</summary>
/// <remarks>
/// Owned by a <see cref="KernelParallelism"/> (one per participating thread) and never shared between threads.
/// The packing blocks are sized once from the <see cref="GemmBlocking"/>; the convolution column buffer grows to the
/// largest shape seen and is then reused, so steady-state calls allocate nothing.
/// </remarks>
internal sealed unsafe class GemmWorkspace
{
    private const int Alignment = 64;
    private readonly float[] _packedA;
    private readonly float[] _packedB;
    private readonly float[] _scratch;
    private float[] _columns = [];
    private float[] _gradients = [];
    private float[] _shared = [];

    public GemmWorkspace(GemmBlocking blocking)
    {
        blocking.Validate();
        Blocking = blocking;
        _packedA = Allocate(blocking.PackedAFloats);
        _packedB = Allocate(blocking.PackedBFloats);
        _scratch = Allocate(GemmBlocking.ScratchFloats);
    }

    /// <summary>The block sizes of the packing areas.</summary>
    public GemmBlocking Blocking { get; }

    /// <summary>A view of the packing areas and scratch for one GEMM call.</summary>
    public GemmBuffers Buffers => new(Blocking, Aligned(_packedA), Aligned(_packedB), Aligned(_scratch), GemmBlocking.ScratchFloats);

    /// <summary>A 64-byte-aligned buffer of at least <paramref name="floats"/> floats for convolution columns (grows, never shrinks).</summary>
    public float* Columns(long floats)
    {
        if (floats + (Alignment / sizeof(float)) > _columns.Length)
        {
            _columns = Allocate(checked((int)floats));
        }

        return Aligned(_columns);
    }

    /// <summary>A 64-byte-aligned buffer of at least <paramref name="floats"/> floats for per-thread gradient sums (grows, never shrinks).</summary>
    public float* Gradients(long floats)
    {
        if (floats + (Alignment / sizeof(float)) > _gradients.Length)
        {
            _gradients = Allocate(checked((int)floats));
        }

        return Aligned(_gradients);
    }

    /// <summary>A 64-byte-aligned buffer of at least <paramref name="floats"/> floats for an operand packed once and read by every thread of a call (grows, never shrinks).</summary>
    public float* Shared(long floats)
    {
        if (floats + (Alignment / sizeof(float)) > _shared.Length)
        {
            _shared = Allocate(checked((int)floats));
        }

        return Aligned(_shared);
    }

    /// <summary>Rounds the address of the array's first element up to 64 bytes (the arrays are pinned, so this is stable).</summary>
    public static float* Aligned(float[] array)
    {
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (float*)((address + (Alignment - 1)) & ~(nint)(Alignment - 1));
    }

    private static float[] Allocate(int floats) => GC.AllocateUninitializedArray<float>(floats + (Alignment / sizeof(float)), pinned: true);
}
