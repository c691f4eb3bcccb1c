using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Tempo.Nn.Kernels;

/// <summary>Transposes 8×8 float blocks with AVX shuffles; the packing routines use it to turn strided operands into panels.</summary>
internal static unsafe class Transpose8x8
{
    /// <summary>Whether <see cref="Run"/> is available (x64 with AVX).</summary>
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>destination[c·destinationStride + r] = source[r·sourceStride + c] for r, c &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(float* source, nint sourceStride, float* destination, nint destinationStride)
    {
        var r0 = Avx.LoadVector256(source);
        var r1 = Avx.LoadVector256(source + sourceStride);
        var r2 = Avx.LoadVector256(source + (2 * sourceStride));
        var r3 = Avx.LoadVector256(source + (3 * sourceStride));
        var r4 = Avx.LoadVector256(source + (4 * sourceStride));
        var r5 = Avx.LoadVector256(source + (5 * sourceStride));
        var r6 = Avx.LoadVector256(source + (6 * sourceStride));
        var r7 = Avx.LoadVector256(source + (7 * sourceStride));

        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves (the classic 3-stage 8×8 transpose).
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(destination, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(destination + destinationStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(destination + (2 * destinationStride), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(destination + (3 * destinationStride), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(destination + (4 * destinationStride), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(destination + (5 * destinationStride), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(destination + (6 * destinationStride), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(destination + (7 * destinationStride), Avx.Permute2x128(u3, u7, 0x31));
    }
}
