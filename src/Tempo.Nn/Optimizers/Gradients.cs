using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tempo.Nn.Modules;

namespace Tempo.Nn.Optimizers;

/// <summary>Operations over the gradients of a parameter list: zeroing and global-norm clipping.</summary>
public static class Gradients
{
    /// <summary>Sets the gradient of every parameter to zero (PyTorch's <c>zero_grad(set_to_none=False)</c>).</summary>
    public static void ZeroGrad(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        for (var index = 0; index < parameters.Count; index++)
        {
            parameters[index].Gradient.Clear();
        }
    }

    /// <summary>Computes the global L2 norm of all gradients and returns it.</summary>
    public static float GlobalNorm(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        // Like torch.nn.utils.clip_grad_norm_: the float32 norm of each gradient, then the norm of those norms.
        // Squares are summed in double, so each norm is the exactly rounded value.
        double sumOfNormsSquared = 0;
        for (var index = 0; index < parameters.Count; index++)
        {
            var norm = (double)(float)Math.Sqrt(SumOfSquares(parameters[index].Gradient.Span));
            sumOfNormsSquared += norm * norm;
        }

        return (float)Math.Sqrt(sumOfNormsSquared);
    }

    /// <summary>
    /// Scales all gradients together so that their global L2 norm is at most <paramref name="maxNorm"/>, as
    /// <c>torch.nn.utils.clip_grad_norm_</c>, and returns the norm before clipping.
    /// </summary>
    /// <remarks>
    /// The scale is <c>maxNorm / (norm + 1e-6)</c> in float32, applied only when it is below 1. A NaN norm
    /// (a NaN gradient) also scales, so NaN spreads to every gradient as in PyTorch rather than hiding.
    /// </remarks>
    public static float ClipGradNorm(IReadOnlyList<Parameter> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0) || float.IsInfinity(maxNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum gradient norm must be finite and non-negative.");
        }

        var totalNorm = GlobalNorm(parameters);
        var clipCoefficient = maxNorm / (totalNorm + 1e-6f);
        if (!(clipCoefficient >= 1f))
        {
            for (var index = 0; index < parameters.Count; index++)
            {
                Scale(parameters[index].Gradient.Span, clipCoefficient);
            }
        }

        return totalNorm;
    }

    private static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double sum = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var lowerSum = Vector256<double>.Zero;
            var upperSum = Vector256<double>.Zero;
            var last = values.Length - Vector256<float>.Count;
            for (; i <= last; i += Vector256<float>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref start, (nuint)i));
                lowerSum += lower * lower;
                upperSum += upper * upper;
            }

            sum = Vector256.Sum(lowerSum + upperSum);
        }

        for (; i < values.Length; i++)
        {
            double value = values[i];
            sum += value * value;
        }

        return sum;
    }

    private static void Scale(Span<float> values, float factor)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var last = values.Length - Vector256<float>.Count;
            for (; i <= last; i += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref start, (nuint)i) * factor).StoreUnsafe(ref start, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }
}
