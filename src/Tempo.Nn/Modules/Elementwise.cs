using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tempo.Nn.Modules;

/// <summary>Input scaling for networks that take pixels: bytes or floats times a factor (1/255), vectorized.</summary>
/// <remarks>Activations, bias epilogues and bias-gradient sums live with the kernels (<c>ActivationKernels</c>, <c>BiasKernels</c>).</remarks>
internal static class Elementwise
{
    private const int Lanes = 8; // Vector256<float>.Count

    /// <summary>destination[i] = source[i] · factor for byte pixels.</summary>
    public static void Scale(ReadOnlySpan<byte> source, float factor, Span<float> destination)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var src = ref MemoryMarshal.GetReference(source);
            ref var dst = ref MemoryMarshal.GetReference(destination);
            var f = Vector256.Create(factor);
            var step = Vector256<byte>.Count;
            var full = source.Length - (source.Length % step);
            for (; i < full; i += step)
            {
                var bytes = Vector256.LoadUnsafe(ref src, (nuint)i);
                var (lo16, hi16) = Vector256.Widen(bytes);
                var (a, b) = Vector256.Widen(lo16);
                var (c, d) = Vector256.Widen(hi16);
                (Vector256.ConvertToSingle(a.AsInt32()) * f).StoreUnsafe(ref dst, (nuint)i);
                (Vector256.ConvertToSingle(b.AsInt32()) * f).StoreUnsafe(ref dst, (nuint)(i + Lanes));
                (Vector256.ConvertToSingle(c.AsInt32()) * f).StoreUnsafe(ref dst, (nuint)(i + (2 * Lanes)));
                (Vector256.ConvertToSingle(d.AsInt32()) * f).StoreUnsafe(ref dst, (nuint)(i + (3 * Lanes)));
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i] * factor;
        }
    }

    /// <summary>destination[i] = source[i] · factor.</summary>
    public static void Scale(ReadOnlySpan<float> source, float factor, Span<float> destination)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var src = ref MemoryMarshal.GetReference(source);
            ref var dst = ref MemoryMarshal.GetReference(destination);
            var f = Vector256.Create(factor);
            var full = source.Length - (source.Length % Lanes);
            for (; i < full; i += Lanes)
            {
                (Vector256.LoadUnsafe(ref src, (nuint)i) * f).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i] * factor;
        }
    }
}
