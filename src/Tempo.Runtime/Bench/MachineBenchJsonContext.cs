using System.Text.Json.Serialization;

namespace Tempo.Runtime.Bench;

/// <summary>The JSON of <c>tempo bench --json</c>: one object, kebab-case names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(MachineBenchReport))]
public sealed partial class MachineBenchJsonContext : JsonSerializerContext;
