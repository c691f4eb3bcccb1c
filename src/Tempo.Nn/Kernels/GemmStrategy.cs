namespace Tempo.Nn.Kernels;

/// <summary>Which GEMM kernel family to use; production uses <see cref="Auto"/>, tests force each one.</summary>
internal enum GemmStrategy
{
    /// <summary>Chosen from the shape.</summary>
    Auto,

    /// <summary>Unpacked row-broadcast kernels (transposed B is first copied untransposed into scratch).</summary>
    Direct,

    /// <summary>Like <see cref="Direct"/> but with edge columns copied through scratch, as on hardware without masked loads (tests only).</summary>
    DirectScratchEdges,

    /// <summary>Dot-product kernels (A·Bᵀ only; other forms fall back to <see cref="Direct"/>).</summary>
    Dot,

    /// <summary>Packed, cache-blocked kernels.</summary>
    Packed,
}
