namespace Tempo.Nn.Kernels.Simd;

/// <summary>Which vector width a kernel runs with; tests force each one, production uses <see cref="SimdSupport.Best"/>.</summary>
internal enum SimdPath
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
