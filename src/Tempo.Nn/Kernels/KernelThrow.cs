using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Tempo.Nn.Kernels;

/// <summary>Cold throw helpers so argument checks stay small and out of the hot code.</summary>
internal static class KernelThrow
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LengthMismatch(string name, int actual, int expected) =>
        throw new ArgumentException($"{name} has {actual} elements; expected {expected}.", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void TooShort(string name, int actual, long required, string what) =>
        throw new ArgumentException($"{name} has {actual} elements but {what} needs at least {required}.", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Negative(string name, int value) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative; got {value}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LeadingDimension(string name, int value, int minimum, string what) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} = {value} is smaller than {what} = {minimum}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Invalid(string name, object? value, string message) =>
        throw new ArgumentOutOfRangeException(name, value, message);
}
