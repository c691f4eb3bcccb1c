using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Tempo.Nn.Kernels.Selection;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>Elementwise activations and their gradients (ReLU, tanh), vectorised.</summary>
/// <remarks>
/// Large spans are processed in one pass of plain (temporal) stores so the result stays in cache for the next
/// layer; unlike TensorPrimitives there is no switch to non-temporal stores above 256 KB.
/// </remarks>
public static unsafe class ActivationKernels
{
    // The scalar path: tanh(t) = t + c3·t³ + … + c17·t¹⁷ (Taylor series) below SmallTanh, relative error < 1e-9
    // there; above it, 1 − 2/(e^{2t} + 1) has no cancellation problem (absolute error ~1 ulp of 1, < 2e-7 relative).
    // The vector paths use e/(e + 2) with e = e^{2t} − 1 instead (no branch). Beyond SaturatedTanh (just above
    // 9.01) tanh rounds to ±1 in float, so e^{2t} is only needed for 2t ≤ 18.2.
    private const float SmallTanh = 0.5f;
    private const float SaturatedTanh = 9.1f;

    // e^x = 2ⁿ · e^r with n = round(x / ln 2) and r = x − n·ln 2 split in two parts (Cody and Waite) so that r is
    // exact to float precision and |r| ≤ ln 2 / 2. Computing in float keeps the vector whole (the BCL's float Exp
    // widens to double, at several times the cost).
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693145751953125f;
    private const float Ln2Low = 1.42860682030941723212e-6f;
    private const float C3 = -0.3333333333333333f;
    private const float C5 = 0.13333333333333333f;
    private const float C7 = -0.05396825396825397f;
    private const float C9 = 0.021869488536155203f;
    private const float C11 = -0.008863235529902197f;
    private const float C13 = 0.003592128036572481f;
    private const float C15 = -0.0014558343870513183f;
    private const float C17 = 0.000590027440945586f;

    /// <summary>Applies <paramref name="activation"/> to every element in place.</summary>
    public static void Apply(Activation activation, Span<float> values) => Forward(activation, values, values);

    /// <summary>Writes activation(input) to <paramref name="output"/> (which may be the same span as the input).</summary>
    public static void Forward(Activation activation, ReadOnlySpan<float> input, Span<float> output) =>
        Forward(KernelSelection.Current.Path, activation, input, output);

    /// <summary>
    /// Writes the input gradient from the activation's output and the output gradient: ReLU passes the gradient where
    /// output &gt; 0, tanh multiplies it by 1 − output²; <paramref name="inputGradient"/> may alias either input.
    /// </summary>
    public static void Backward(Activation activation, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        Backward(KernelSelection.Current.Path, activation, output, outputGradient, inputGradient);

    internal static void Forward(SimdPath path, Activation activation, ReadOnlySpan<float> input, Span<float> output)
    {
        CheckActivation(activation);
        if (output.Length != input.Length)
        {
            KernelThrow.LengthMismatch(nameof(output), output.Length, input.Length);
        }

        fixed (float* source = input)
        fixed (float* destination = output)
        {
            Forward(path, activation, source, destination, input.Length);
        }
    }

    internal static void Backward(SimdPath path, Activation activation, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        CheckActivation(activation);
        if (outputGradient.Length != output.Length)
        {
            KernelThrow.LengthMismatch(nameof(outputGradient), outputGradient.Length, output.Length);
        }

        if (inputGradient.Length != output.Length)
        {
            KernelThrow.LengthMismatch(nameof(inputGradient), inputGradient.Length, output.Length);
        }

        fixed (float* y = output)
        fixed (float* dy = outputGradient)
        fixed (float* dx = inputGradient)
        {
            switch (path)
            {
                case SimdPath.Vector512: Backward<Simd512, Vector512<float>>(activation, y, dy, dx, output.Length); break;
                case SimdPath.Vector256: Backward<Simd256, Vector256<float>>(activation, y, dy, dx, output.Length); break;
                case SimdPath.Vector128: Backward<Simd128, Vector128<float>>(activation, y, dy, dx, output.Length); break;
                default: BackwardScalar(activation, y, dy, dx, 0, output.Length); break;
            }
        }
    }

    internal static void Forward(SimdPath path, Activation activation, float* input, float* output, nint count)
    {
        switch (path)
        {
            case SimdPath.Vector512: Forward<Simd512, Vector512<float>>(activation, input, output, count); break;
            case SimdPath.Vector256: Forward<Simd256, Vector256<float>>(activation, input, output, count); break;
            case SimdPath.Vector128: Forward<Simd128, Vector128<float>>(activation, input, output, count); break;
            default: ForwardScalar(activation, input, output, 0, count); break;
        }
    }

    /// <summary>activation(input) → output for <paramref name="count"/> floats at one vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Forward<TOps, TVector>(Activation activation, float* input, float* output, nint count)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        nint i = 0;
        var width = TOps.Width;
        if (activation == Activation.Relu)
        {
            for (; i <= count - width; i += width)
            {
                TOps.Store(output + i, TOps.Max(TOps.Load(input + i), TOps.Zero));
            }
        }
        else if (activation == Activation.Tanh)
        {
            for (; i <= count - width; i += width)
            {
                TOps.Store(output + i, Tanh<TOps, TVector>(TOps.Load(input + i)));
            }
        }
        else
        {
            if (input != output)
            {
                Buffer.MemoryCopy(input, output, count * sizeof(float), count * sizeof(float));
            }

            return;
        }

        ForwardScalar(activation, input, output, i, count);
    }

    /// <summary>tanh of every lane as e/(e + 2) with e = e^{2|x|} − 1: one branch-free formula, accurate near zero too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVector Tanh<TOps, TVector>(TVector x)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var t = TOps.Abs(x);
        var saturated = TOps.Broadcast(SaturatedTanh);

        // The clamp keeps NaN (a comparison with NaN is false, so t passes through).
        var clamped = TOps.SelectLess(saturated, t, saturated, t);
        var e = ExpMinusOne<TOps, TVector>(TOps.Add(clamped, clamped));
        return TOps.CopySign(TOps.Divide(e, TOps.Add(e, TOps.Broadcast(2f))), x);
    }

    /// <summary>e^x − 1 for lanes in [0, 88] (see the constants), within about one ulp relative, also for tiny x.</summary>
    /// <remarks>
    /// e^x − 1 = 2ⁿ·(e^r − 1) + (2ⁿ − 1): for n = 0 that is the polynomial alone (no cancellation near zero), and for
    /// n ≥ 1 both terms are exact or nearly so and 2ⁿ − 1 dominates, so the sum loses at most a bit.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector ExpMinusOne<TOps, TVector>(TVector x)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var n = TOps.Round(TOps.Multiply(x, TOps.Broadcast(Log2E)));
        var r = TOps.MultiplyAdd(n, TOps.Broadcast(-Ln2High), x);
        r = TOps.MultiplyAdd(n, TOps.Broadcast(-Ln2Low), r);

        // e^r − 1 = r·(1 + r/2 + r²/6 + … + r⁶/7!): the first dropped term is below a quarter ulp for |r| ≤ ln 2 / 2.
        var q = TOps.MultiplyAdd(TOps.Broadcast(1f / 5040f), r, TOps.Broadcast(1f / 720f));
        q = TOps.MultiplyAdd(q, r, TOps.Broadcast(1f / 120f));
        q = TOps.MultiplyAdd(q, r, TOps.Broadcast(1f / 24f));
        q = TOps.MultiplyAdd(q, r, TOps.Broadcast(1f / 6f));
        q = TOps.MultiplyAdd(q, r, TOps.Broadcast(0.5f));
        q = TOps.MultiplyAdd(q, r, TOps.Broadcast(1f));
        var scale = TOps.PowerOfTwo(n);
        return TOps.MultiplyAdd(scale, TOps.Multiply(r, q), TOps.Subtract(scale, TOps.Broadcast(1f)));
    }

    /// <summary>tanh for the scalar tails; agrees with <see cref="Tanh{TOps, TVector}"/> to a few ulps.</summary>
    internal static float Tanh(float x)
    {
        var t = MathF.Abs(x);
        float r;
        if (t < SmallTanh)
        {
            var t2 = t * t;
            var p = MathF.FusedMultiplyAdd(C17, t2, C15);
            p = MathF.FusedMultiplyAdd(p, t2, C13);
            p = MathF.FusedMultiplyAdd(p, t2, C11);
            p = MathF.FusedMultiplyAdd(p, t2, C9);
            p = MathF.FusedMultiplyAdd(p, t2, C7);
            p = MathF.FusedMultiplyAdd(p, t2, C5);
            p = MathF.FusedMultiplyAdd(p, t2, C3);
            r = MathF.FusedMultiplyAdd(p * t2, t, t);
        }
        else
        {
            var clamped = MathF.Min(t, SaturatedTanh);
            r = 1f - (2f / (MathF.Exp(clamped + clamped) + 1f));
        }

        return MathF.CopySign(r, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward<TOps, TVector>(Activation activation, float* output, float* outputGradient, float* inputGradient, nint count)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        nint i = 0;
        var width = TOps.Width;
        if (activation == Activation.Relu)
        {
            for (; i <= count - width; i += width)
            {
                TOps.Store(inputGradient + i, TOps.WherePositive(TOps.Load(output + i), TOps.Load(outputGradient + i)));
            }
        }
        else if (activation == Activation.Tanh)
        {
            var one = TOps.Broadcast(1f);
            for (; i <= count - width; i += width)
            {
                var y = TOps.Load(output + i);
                TOps.Store(inputGradient + i, TOps.Multiply(TOps.Load(outputGradient + i), TOps.Subtract(one, TOps.Multiply(y, y))));
            }
        }

        BackwardScalar(activation, output, outputGradient, inputGradient, i, count);
    }

    private static void ForwardScalar(Activation activation, float* input, float* output, nint start, nint count)
    {
        for (var i = start; i < count; i++)
        {
            var x = input[i];
            output[i] = activation switch
            {
                Activation.Relu => MathF.Max(x, 0f),
                Activation.Tanh => Tanh(x),
                _ => x,
            };
        }
    }

    private static void BackwardScalar(Activation activation, float* output, float* outputGradient, float* inputGradient, nint start, nint count)
    {
        for (var i = start; i < count; i++)
        {
            var y = output[i];
            inputGradient[i] = activation switch
            {
                Activation.Relu => y > 0f ? outputGradient[i] : 0f,
                Activation.Tanh => outputGradient[i] * (1f - (y * y)),
                _ => outputGradient[i],
            };
        }
    }

    private static void CheckActivation(Activation activation)
    {
        if ((uint)activation > (uint)Activation.Tanh)
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }
}
