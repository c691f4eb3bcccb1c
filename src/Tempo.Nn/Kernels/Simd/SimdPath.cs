namespace Tempo.Nn.Kernels.Simd;

/// <summary>Which vector width the kernels run with (see <see cref="Selection.KernelSelection"/>, which chooses one per process).</summary>
public enum SimdPath
{
    /// <summary>Plain scalar loops: the reference path, and the fallback for hardware without SIMD.</summary>
    Scalar,

    /// <summary>Vector128 (SSE/AVX on x64, AdvSimd on ARM64).</summary>
    Vector128,

    /// <summary>Vector256 (AVX2 + FMA).</summary>
    Vector256,

    /// <summary>Vector512 (AVX-512).</summary>
    Vector512,
}
