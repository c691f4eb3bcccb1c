using System.Globalization;

namespace Tempo.Runtime.Transport;

/// <summary>Identifies one training run, so data from another run sharing a transport is rejected.</summary>
/// <param name="Value">The run's 128-bit identifier.</param>
public readonly record struct RunId(Guid Value)
{
    /// <summary>Whether this is the all-zero id, which never names a real run.</summary>
    public bool IsEmpty => Value == Guid.Empty;

    /// <summary>A fresh id that no other run shares.</summary>
    /// <remarks>Deliberately not drawn from the run's seeded random source: two runs with the same seed must still get different ids.</remarks>
    public static RunId NewUnique() => new(Guid.NewGuid());

    /// <summary>Parses the 32-hex-digit form written by <see cref="ToString"/> (other GUID forms are accepted too).</summary>
    public static RunId Parse(string text) => new(Guid.Parse(text, CultureInfo.InvariantCulture));

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("N", CultureInfo.InvariantCulture);
}
