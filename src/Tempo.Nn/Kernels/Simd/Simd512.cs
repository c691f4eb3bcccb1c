using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tempo.Nn.Kernels.Simd;

/// <summary>Vector512&lt;float&gt; (16 lanes) operations.</summary>
internal readonly unsafe struct Simd512 : ISimdOps<Vector512<float>>
{
    public static int Width => 16;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector512<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> value) => Vector512.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Round(Vector512<float> value) => Vector512.Round(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> PowerOfTwo(Vector512<float> integral) =>
        Vector512.ShiftLeft(Vector512.ConvertToInt32(integral) + Vector512.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> CopySign(Vector512<float> magnitude, Vector512<float> sign) => Vector512.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SelectLess(Vector512<float> a, Vector512<float> b, Vector512<float> whenLess, Vector512<float> otherwise) =>
        Vector512.ConditionalSelect(Vector512.LessThan(a, b), whenLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> WherePositive(Vector512<float> condition, Vector512<float> value) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(condition, Vector512<float>.Zero), value, Vector512<float>.Zero);

    public static bool HasMaskedMemory => Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FirstLanes(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadMasked(float* source, Vector512<float> mask) => Avx512F.MaskLoad(source, mask, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreMasked(float* destination, Vector512<float> value, Vector512<float> mask) => Avx512F.MaskStore(destination, mask, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d) =>
        Simd128.Sum4(Fold(a), Fold(b), Fold(c), Fold(d));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Fold(Vector512<float> value)
    {
        var half = value.GetLower() + value.GetUpper();
        return half.GetLower() + half.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Simd256.Sum(value.GetLower() + value.GetUpper());
}
