using System.Text.Json.Serialization;
using Tempo.Algorithms.Ppo;

namespace Tempo.Cli.Training;

/// <summary>Compile-time JSON metadata for config files: flat kebab-case keys, enums by name, unknown keys refused.</summary>
/// <remarks>Reflection-based serialization cost ~75 ms of start-up (converters built at first use); generated code does not.</remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower,
    IgnoreReadOnlyProperties = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(PpoOptions))]
[JsonSerializable(typeof(TrainAlgorithm))]
[JsonSerializable(typeof(TrainSchedule))]
internal sealed partial class TrainConfigJsonContext : JsonSerializerContext;
