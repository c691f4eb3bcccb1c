namespace Tempo.Nn.Kernels;

/// <summary>Pinned scratch one GEMM call may use: packing blocks and a small scratch area (a view; the owner frees it).</summary>
internal readonly unsafe struct GemmBuffers
{
    public GemmBuffers(GemmBlocking blocking, float* packedA, float* packedB, float* scratch, int scratchFloats)
    {
        Blocking = blocking;
        PackedA = packedA;
        PackedB = packedB;
        Scratch = scratch;
        ScratchFloats = scratchFloats;
    }

    /// <summary>The block sizes the packing areas were sized for.</summary>
    public GemmBlocking Blocking { get; }

    /// <summary>At least <see cref="GemmBlocking.PackedAFloats"/> floats, 64-byte aligned.</summary>
    public float* PackedA { get; }

    /// <summary>At least <see cref="GemmBlocking.PackedBFloats"/> floats, 64-byte aligned.</summary>
    public float* PackedB { get; }

    /// <summary><see cref="ScratchFloats"/> floats for the direct kernels' copies of small operands.</summary>
    public float* Scratch { get; }

    /// <summary>The size of <see cref="Scratch"/>.</summary>
    public int ScratchFloats { get; }
}
