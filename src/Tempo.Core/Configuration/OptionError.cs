using System.Globalization;
using System.Text.Json;

namespace Tempo.Core.Configuration;

/// <summary>
/// Errors in options a user sets, named as the user typed them. An options property binds to the config key and the
/// CLI flag of the same name in kebab-case (<c>NumMinibatches</c> ↔ <c>num-minibatches</c> / <c>--num-minibatches</c>);
/// this is the one place that mapping is spelled, so a message never shows a .NET property name.
/// </summary>
public static class OptionError
{
    /// <summary>The config key a property binds to: its name in kebab-case (the flag is the key after <c>--</c>).</summary>
    /// <param name="propertyName">The options property, as <c>nameof</c> gives it.</param>
    public static string KeyOf(string propertyName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(propertyName);
        return JsonNamingPolicy.KebabCaseLower.ConvertName(propertyName);
    }

    /// <summary>
    /// An <see cref="ArgumentException"/> whose message starts with one line naming the key, the flag, the rule and the
    /// value (<c>num-minibatches (--num-minibatches) must be positive; got 0.</c>) and whose
    /// <see cref="ArgumentException.ParamName"/> is the property, for code that handles it (.NET appends it to the
    /// message as " (Parameter '…')", which the CLI leaves out).
    /// </summary>
    /// <param name="propertyName">The options property, as <c>nameof</c> gives it.</param>
    /// <param name="value">The value the user gave.</param>
    /// <param name="rule">What the value must satisfy, starting with a verb ("must be positive").</param>
    public static ArgumentException Invalid(string propertyName, object? value, string rule)
    {
        var key = KeyOf(propertyName);
        return new ArgumentException($"{key} (--{key}) {rule}; got {Format(value)}.", propertyName);
    }

    /// <summary>Throws <see cref="Invalid"/> unless <paramref name="condition"/> holds.</summary>
    /// <param name="condition">Whether the value is valid.</param>
    /// <param name="propertyName">The options property, as <c>nameof</c> gives it.</param>
    /// <param name="value">The value the user gave.</param>
    /// <param name="rule">What the value must satisfy, starting with a verb ("must be positive").</param>
    /// <exception cref="ArgumentException"><paramref name="condition"/> is false.</exception>
    public static void Require(bool condition, string propertyName, object? value, string rule)
    {
        if (!condition)
        {
            throw Invalid(propertyName, value, rule);
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "nothing",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
