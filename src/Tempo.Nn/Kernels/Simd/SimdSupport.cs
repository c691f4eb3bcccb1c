using System.Runtime.Intrinsics;

namespace Tempo.Nn.Kernels.Simd;

/// <summary>Which <see cref="SimdPath"/>s this machine runs in hardware.</summary>
internal static class SimdSupport
{
    /// <summary>The widest accelerated path (Vector512 where AVX-512 is present).</summary>
    public static SimdPath Best =>
        Vector512.IsHardwareAccelerated ? SimdPath.Vector512
        : Vector256.IsHardwareAccelerated ? SimdPath.Vector256
        : Vector128.IsHardwareAccelerated ? SimdPath.Vector128
        : SimdPath.Scalar;

    /// <summary>Whether <paramref name="path"/> runs in hardware here (a software-emulated vector path is never chosen).</summary>
    public static bool IsSupported(SimdPath path) => path switch
    {
        SimdPath.Scalar => true,
        SimdPath.Vector128 => Vector128.IsHardwareAccelerated,
        SimdPath.Vector256 => Vector256.IsHardwareAccelerated,
        SimdPath.Vector512 => Vector512.IsHardwareAccelerated,
        _ => false,
    };
}
