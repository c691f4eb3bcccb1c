using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tempo.Nn.Kernels.Simd;

/// <summary>Vector128&lt;float&gt; (4 lanes) operations.</summary>
internal readonly unsafe struct Simd128 : ISimdOps<Vector128<float>>
{
    public static int Width => 4;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector128<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> value) => Vector128.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Round(Vector128<float> value) => Vector128.Round(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> PowerOfTwo(Vector128<float> integral) =>
        Vector128.ShiftLeft(Vector128.ConvertToInt32(integral) + Vector128.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> CopySign(Vector128<float> magnitude, Vector128<float> sign) => Vector128.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SelectLess(Vector128<float> a, Vector128<float> b, Vector128<float> whenLess, Vector128<float> otherwise) =>
        Vector128.ConditionalSelect(Vector128.LessThan(a, b), whenLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> WherePositive(Vector128<float> condition, Vector128<float> value) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(condition, Vector128<float>.Zero), value, Vector128<float>.Zero);

    public static bool HasMaskedMemory => Avx.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FirstLanes(int count) =>
        Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadMasked(float* source, Vector128<float> mask) => Avx.MaskLoad(source, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreMasked(float* destination, Vector128<float> value, Vector128<float> mask) => Avx.MaskStore(destination, mask, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d)
    {
        if (Sse3.IsSupported)
        {
            // Two rounds of pairwise adds leave [Σa, Σb, Σc, Σd].
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(a, b), Sse3.HorizontalAdd(c, d));
        }

        return Vector128.Create(Vector128.Sum(a), Vector128.Sum(b), Vector128.Sum(c), Vector128.Sum(d));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);
}
