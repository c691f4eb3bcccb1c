using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tempo.Nn.Kernels.Simd;

/// <summary>Vector256&lt;float&gt; (8 lanes) operations.</summary>
internal readonly unsafe struct Simd256 : ISimdOps<Vector256<float>>
{
    public static int Width => 8;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector256<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> value) => Vector256.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Round(Vector256<float> value) => Vector256.Round(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> PowerOfTwo(Vector256<float> integral) =>
        Vector256.ShiftLeft(Vector256.ConvertToInt32(integral) + Vector256.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> CopySign(Vector256<float> magnitude, Vector256<float> sign) => Vector256.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SelectLess(Vector256<float> a, Vector256<float> b, Vector256<float> whenLess, Vector256<float> otherwise) =>
        Vector256.ConditionalSelect(Vector256.LessThan(a, b), whenLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> WherePositive(Vector256<float> condition, Vector256<float> value) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(condition, Vector256<float>.Zero), value, Vector256<float>.Zero);

    public static bool HasMaskedMemory => Avx.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FirstLanes(int count) =>
        Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadMasked(float* source, Vector256<float> mask) => Avx.MaskLoad(source, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreMasked(float* destination, Vector256<float> value, Vector256<float> mask) => Avx.MaskStore(destination, mask, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d) =>
        Simd128.Sum4(a.GetLower() + a.GetUpper(), b.GetLower() + b.GetUpper(), c.GetLower() + c.GetUpper(), d.GetLower() + d.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Simd128.Sum(value.GetLower() + value.GetUpper());
}
