using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Modules;

/// <summary>Shape checks and cold throw paths shared by the modules, kept out of their hot paths.</summary>
internal static class ModuleErrors
{
    /// <summary>Whether two tensors have the same rank and dimensions.</summary>
    public static bool SameShape(Tensor a, Tensor b)
    {
        if (a.Rank != b.Rank)
        {
            return false;
        }

        for (var axis = 0; axis < a.Rank; axis++)
        {
            if (a.Dim(axis) != b.Dim(axis))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats a shape as <c>[2, 3]</c>.</summary>
    public static string ShapeText(Tensor tensor)
    {
        var dims = new string[tensor.Rank];
        for (var axis = 0; axis < dims.Length; axis++)
        {
            dims[axis] = tensor.Dim(axis).ToString(CultureInfo.InvariantCulture);
        }

        return $"[{string.Join(", ", dims)}]";
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void WrongInputShape(Module module, string expected, Tensor actual, string parameterName = "input") =>
        throw new ArgumentException($"{module.GetType().Name} expects input of shape {expected}; got {ShapeText(actual)}.", parameterName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void WrongInputLength(Module module, string expected, int actual, string parameterName) =>
        throw new ArgumentException($"{module.GetType().Name} expects {expected}; got {actual} elements.", parameterName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void BackwardBeforeForward(Module module) =>
        throw new InvalidOperationException($"{module.GetType().Name}: Backward called without a completed Forward; run Forward first.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void WrongGradientShape(Module module, Tensor output, Tensor outputGradient) =>
        throw new ArgumentException(
            $"{module.GetType().Name}: the output gradient must have the last output's shape {ShapeText(output)}; got {ShapeText(outputGradient)}.",
            nameof(outputGradient));

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void InputChangedSinceForward(Module module, string expected, Tensor input) =>
        throw new InvalidOperationException(
            $"{module.GetType().Name}: the forward input was reshaped to {ShapeText(input)} before Backward (it had {expected}); keep it unchanged until Backward.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NoInputGradient(Module module) =>
        throw new InvalidOperationException($"{module.GetType().Name} returned no input gradient.");
}
