using System.Text.Json.Serialization;

namespace Tempo.Redis.Status;

/// <summary>The JSON of heartbeats and of <c>tempo status --json</c>: kebab-case names, roles as strings; no type information.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower, UseStringEnumConverter = true, WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FleetMemberStatus))]
[JsonSerializable(typeof(FleetStatus))]
public sealed partial class FleetStatusJsonContext : JsonSerializerContext;
