using System.Runtime.Intrinsics;

namespace Tempo.Nn.Kernels.Simd;

/// <summary>The float vector operations the kernels are written against, one implementation per vector width.</summary>
/// <remarks>
/// Kernels are generic over a struct implementing this interface, so the JIT compiles one specialised copy per
/// width with every call inlined; that lets one source serve Vector512, Vector256 and Vector128.
/// </remarks>
/// <typeparam name="TVector">The vector type.</typeparam>
internal unsafe interface ISimdOps<TVector>
    where TVector : unmanaged
{
    /// <summary>Floats per vector.</summary>
    static abstract int Width { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TVector Zero { get; }

    /// <summary>Loads <see cref="Width"/> floats (unaligned).</summary>
    static abstract TVector Load(float* source);

    /// <summary>Stores <see cref="Width"/> floats (unaligned).</summary>
    static abstract void Store(float* destination, TVector value);

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Broadcast(float value);

    /// <summary>a·b + c, fused where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>Lane-wise a·b.</summary>
    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>Lane-wise a + b.</summary>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary>Lane-wise a − b.</summary>
    static abstract TVector Subtract(TVector a, TVector b);

    /// <summary>Lane-wise a / b.</summary>
    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>Lane-wise maximum.</summary>
    static abstract TVector Max(TVector a, TVector b);

    /// <summary>Lane-wise |x|.</summary>
    static abstract TVector Abs(TVector value);

    /// <summary>Lane-wise rounding to the nearest integer (ties to even).</summary>
    static abstract TVector Round(TVector value);

    /// <summary>Lane-wise 2ⁿ for integral lanes n in [−126, 127], built from the exponent bits (exact).</summary>
    static abstract TVector PowerOfTwo(TVector integral);

    /// <summary>Lane-wise: |magnitude| with the sign of <paramref name="sign"/>.</summary>
    static abstract TVector CopySign(TVector magnitude, TVector sign);

    /// <summary>Lane-wise select: where a &lt; b take <paramref name="whenLess"/>, else <paramref name="otherwise"/>.</summary>
    static abstract TVector SelectLess(TVector a, TVector b, TVector whenLess, TVector otherwise);

    /// <summary>Lane-wise select: where <paramref name="condition"/> &gt; 0 take <paramref name="value"/>, else 0.</summary>
    static abstract TVector WherePositive(TVector condition, TVector value);

    /// <summary>Whether <see cref="LoadMasked"/> and <see cref="StoreMasked"/> exist in hardware (AVX/AVX-512); without them kernels copy edges through scratch.</summary>
    static abstract bool HasMaskedMemory { get; }

    /// <summary>A mask selecting the first <paramref name="count"/> lanes (0 ≤ count ≤ <see cref="Width"/>).</summary>
    static abstract TVector FirstLanes(int count);

    /// <summary>Loads the lanes selected by <paramref name="mask"/> (others zero) without touching memory past them.</summary>
    static abstract TVector LoadMasked(float* source, TVector mask);

    /// <summary>Stores the lanes selected by <paramref name="mask"/> without touching memory past them.</summary>
    static abstract void StoreMasked(float* destination, TVector value, TVector mask);

    /// <summary>The lane sums of four vectors, as one Vector128 [Σa, Σb, Σc, Σd].</summary>
    static abstract Vector128<float> Sum4(TVector a, TVector b, TVector c, TVector d);

    /// <summary>The sum of all lanes.</summary>
    static abstract float Sum(TVector value);
}
