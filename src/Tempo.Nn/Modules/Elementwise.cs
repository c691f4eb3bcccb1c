using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tempo.Nn.Modules;

/// <summary>The elementwise work around the GEMM and convolution kernels: bias + activation epilogues, activation gradients, bias-gradient sums, input scaling.</summary>
/// <remarks>
/// Fusing the bias add with the activation (one pass over the output instead of two) is what makes a
/// batch-1 MLP forward cheap; these loops belong next to the kernels once those grow fused epilogues.
/// Every element, including a row's ragged tail, goes through the same vector code so results do not
/// depend on where an element sits in a row.
/// </remarks>
internal static class Elementwise
{
    private const int Lanes = 8; // Vector256<float>.Count

    /// <summary>values[r, c] = activation(values[r, c] + bias[c]) for a row-major matrix with bias.Length columns.</summary>
    public static void AddBiasAndActivate(Span<float> values, ReadOnlySpan<float> bias, Activation activation)
    {
        var columns = bias.Length;
        if (!Vector256.IsHardwareAccelerated)
        {
            for (var offset = 0; offset < values.Length; offset += columns)
            {
                var row = values.Slice(offset, columns);
                for (var c = 0; c < columns; c++)
                {
                    row[c] = Scalar(row[c] + bias[c], activation);
                }
            }

            return;
        }

        ref var b = ref MemoryMarshal.GetReference(bias);
        var fullColumns = columns - (columns % Lanes);
        for (var offset = 0; offset < values.Length; offset += columns)
        {
            ref var row = ref MemoryMarshal.GetReference(values.Slice(offset, columns));
            var c = 0;
            for (; c < fullColumns; c += Lanes)
            {
                var x = Vector256.LoadUnsafe(ref row, (nuint)c) + Vector256.LoadUnsafe(ref b, (nuint)c);
                Apply(x, activation).StoreUnsafe(ref row, (nuint)c);
            }

            if (c < columns)
            {
                AddBiasAndActivateTail(values.Slice(offset + c, columns - c), bias[c..], activation);
            }
        }
    }

    /// <summary>values = activation(values), in place.</summary>
    public static void Activate(Span<float> values, Activation activation)
    {
        if (activation == Activation.None)
        {
            return;
        }

        if (!Vector256.IsHardwareAccelerated)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Scalar(values[i], activation);
            }

            return;
        }

        ref var v = ref MemoryMarshal.GetReference(values);
        var full = values.Length - (values.Length % Lanes);
        var i0 = 0;
        for (; i0 < full; i0 += Lanes)
        {
            Apply(Vector256.LoadUnsafe(ref v, (nuint)i0), activation).StoreUnsafe(ref v, (nuint)i0);
        }

        if (i0 < values.Length)
        {
            ActivateTail(values[i0..], activation);
        }
    }

    /// <summary>destination = activation(source); the spans may be the same memory.</summary>
    public static void Activate(ReadOnlySpan<float> source, Span<float> destination, Activation activation)
    {
        source.CopyTo(destination);
        Activate(destination[..source.Length], activation);
    }

    /// <summary>result = outputGradient ⊙ activation′, where the derivative is taken from the activation's output (tanh: 1 − y², ReLU: y &gt; 0).</summary>
    public static void ActivationGradient(Activation activation, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> result)
    {
        var length = output.Length;
        if (activation == Activation.None)
        {
            outputGradient.CopyTo(result);
            return;
        }

        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var y = ref MemoryMarshal.GetReference(output);
            ref var g = ref MemoryMarshal.GetReference(outputGradient);
            ref var r = ref MemoryMarshal.GetReference(result);
            var full = length - (length % Lanes);
            if (activation == Activation.Tanh)
            {
                for (; i < full; i += Lanes)
                {
                    var yv = Vector256.LoadUnsafe(ref y, (nuint)i);
                    var gv = Vector256.LoadUnsafe(ref g, (nuint)i);
                    (gv * (Vector256<float>.One - (yv * yv))).StoreUnsafe(ref r, (nuint)i);
                }
            }
            else
            {
                for (; i < full; i += Lanes)
                {
                    var yv = Vector256.LoadUnsafe(ref y, (nuint)i);
                    var gv = Vector256.LoadUnsafe(ref g, (nuint)i);
                    (gv & Vector256.GreaterThan(yv, Vector256<float>.Zero)).StoreUnsafe(ref r, (nuint)i);
                }
            }
        }

        for (; i < length; i++)
        {
            var yi = output[i];
            result[i] = activation == Activation.Tanh ? outputGradient[i] * (1f - (yi * yi)) : (yi > 0f ? outputGradient[i] : 0f);
        }
    }

    /// <summary>sums[c] += Σ_r matrix[r, c] for a row-major matrix with sums.Length columns (the bias gradient).</summary>
    /// <remarks>The batch sum is formed first and then added, as PyTorch accumulates a computed gradient.</remarks>
    public static void AddColumnSums(ReadOnlySpan<float> matrix, Span<float> sums)
    {
        var columns = sums.Length;
        var rows = matrix.Length / columns;
        var fullColumns = Vector256.IsHardwareAccelerated ? columns - (columns % Lanes) : 0;
        ref var m = ref MemoryMarshal.GetReference(matrix);
        ref var s = ref MemoryMarshal.GetReference(sums);
        var c = 0;
        for (; c < fullColumns; c += Lanes)
        {
            var sum = Vector256<float>.Zero;
            for (var r = 0; r < rows; r++)
            {
                sum += Vector256.LoadUnsafe(ref m, (nuint)((r * columns) + c));
            }

            (Vector256.LoadUnsafe(ref s, (nuint)c) + sum).StoreUnsafe(ref s, (nuint)c);
        }

        for (; c < columns; c++)
        {
            var sum = 0f;
            for (var r = 0; r < rows; r++)
            {
                sum += Unsafe.Add(ref m, (r * columns) + c);
            }

            Unsafe.Add(ref s, c) += sum;
        }
    }

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

    /// <summary>tanh on eight lanes: an odd Taylor polynomial below |x| = 0.25, (1 − e)/(1 + e) with e = exp(−2|x|) above.</summary>
    /// <remarks>
    /// Both branches stay within a few float ulps of the true tanh: the series' first dropped term
    /// (21844/6081075·x¹³) is below 1e-10 at 0.25, and above 0.25, 1 − e is exact (Sterbenz) so only the
    /// rounding of e remains. e underflows towards 0 for large |x|, giving exactly ±1 without overflow.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var e = ExpOfNegative(ax + ax);
        var large = (Vector256<float>.One - e) / (Vector256<float>.One + e);
        var x2 = ax * ax;
        var p = Vector256.FusedMultiplyAdd(x2, Vector256.Create(-1382f / 155925f), Vector256.Create(62f / 2835f));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(-17f / 315f));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(2f / 15f));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(-1f / 3f));
        var small = Vector256.FusedMultiplyAdd(ax * x2, p, ax);
        var magnitude = Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(0.25f)), small, large);
        return Vector256.CopySign(magnitude, x);
    }

    /// <summary>exp(−t) for t ≥ 0 (NaN stays NaN), within about an ulp: 2⁻ᵗˡᵒᵍ²ᵉ split into 2ⁿ·2ᶠ with |f| ≤ ½.</summary>
    /// <remarks>
    /// t·log₂e is reduced with a two-part constant and fused multiply-adds (Cody–Waite), so f carries no error
    /// from the product's rounding; 2ᶠ is its degree-7 Taylor polynomial in f·ln 2 (truncation below 1e-8), and
    /// 2ⁿ is built in the exponent field. t is capped where e⁻ᵗ is far below what tanh can resolve.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpOfNegative(Vector256<float> t)
    {
        const float Log2EHigh = 1.44269502f;
        const float Log2ELow = 1.925963e-8f; // log₂e − Log2EHigh
        var capped = Vector256.Min(t, Vector256.Create(80f)); // Min keeps NaN from its first operand
        var n = Vector256.Round(capped * Vector256.Create(-Log2EHigh));
        var f = Vector256.FusedMultiplyAdd(capped, Vector256.Create(-Log2EHigh), -n);
        f = Vector256.FusedMultiplyAdd(capped, Vector256.Create(-Log2ELow), f);
        var p = Vector256.FusedMultiplyAdd(f, Vector256.Create(1.5252734e-5f), Vector256.Create(1.5403530e-4f));
        p = Vector256.FusedMultiplyAdd(f, p, Vector256.Create(1.3333558e-3f));
        p = Vector256.FusedMultiplyAdd(f, p, Vector256.Create(9.6181291e-3f));
        p = Vector256.FusedMultiplyAdd(f, p, Vector256.Create(5.5504109e-2f));
        p = Vector256.FusedMultiplyAdd(f, p, Vector256.Create(0.24022651f));
        p = Vector256.FusedMultiplyAdd(f, p, Vector256.Create(0.69314718f));
        p = Vector256.FusedMultiplyAdd(f, p, Vector256<float>.One);
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        return p * scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Apply(Vector256<float> x, Activation activation) => activation switch
    {
        Activation.Tanh => Tanh(x),
        Activation.Relu => Vector256.Max(x, Vector256<float>.Zero),
        _ => x,
    };

    private static float Scalar(float x, Activation activation) => activation switch
    {
        Activation.Tanh => MathF.Tanh(x),
        Activation.Relu => x > 0f || float.IsNaN(x) ? x : 0f,
        _ => x,
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddBiasAndActivateTail(Span<float> values, ReadOnlySpan<float> bias, Activation activation)
    {
        Span<float> lanes = stackalloc float[Vector256<float>.Count];
        Span<float> biasLanes = stackalloc float[Vector256<float>.Count];
        values.CopyTo(lanes);
        bias.CopyTo(biasLanes);
        var x = Vector256.Create<float>(lanes) + Vector256.Create<float>(biasLanes);
        Apply(x, activation).CopyTo(lanes);
        lanes[..values.Length].CopyTo(values);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ActivateTail(Span<float> values, Activation activation)
    {
        Span<float> lanes = stackalloc float[Vector256<float>.Count];
        values.CopyTo(lanes);
        Apply(Vector256.Create<float>(lanes), activation).CopyTo(lanes);
        lanes[..values.Length].CopyTo(values);
    }
}
