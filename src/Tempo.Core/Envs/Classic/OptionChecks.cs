using System.Runtime.CompilerServices;

namespace Tempo.Core.Envs.Classic;

/// <summary>Validation shared by the classic-control options records; every message names the option and its value.</summary>
internal static class OptionChecks
{
    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    public static void Positive(double value, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and positive.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and not negative.</summary>
    public static void NonNegative(double value, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite.</summary>
    public static void Finite(double value, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite.");
        }
    }

    /// <summary>Throws unless both reset bounds are finite and <paramref name="low"/> ≤ <paramref name="high"/> (Gymnasium's <c>maybe_parse_reset_bounds</c>).</summary>
    public static void ResetRange(double low, double high, [CallerArgumentExpression(nameof(low))] string lowName = "", [CallerArgumentExpression(nameof(high))] string highName = "")
    {
        Finite(low, lowName);
        Finite(high, highName);
        if (low > high)
        {
            throw new ArgumentException($"{lowName} ({low}) must not exceed {highName} ({high}).", lowName);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a named member of its enum.</summary>
    public static void Defined<TEnum>(TEnum value, [CallerArgumentExpression(nameof(value))] string name = "")
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
        }
    }
}
