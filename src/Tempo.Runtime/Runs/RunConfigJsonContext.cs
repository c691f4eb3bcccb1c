using System.Text.Json.Serialization;
using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Impala;
using Tempo.Algorithms.Ppo;

namespace Tempo.Runtime.Runs;

/// <summary>Compile-time JSON metadata for run configs: flat kebab-case keys, enums by name, unknown keys refused.</summary>
/// <remarks>Reflection-based serialization cost ~75 ms of start-up (converters built at first use); generated code does not.</remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower,
    IgnoreReadOnlyProperties = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(CollectionOptions))]
[JsonSerializable(typeof(ModelOptions))]
[JsonSerializable(typeof(AsynchronousOptions))]
[JsonSerializable(typeof(PpoOptions))]
[JsonSerializable(typeof(AppoOptions))]
[JsonSerializable(typeof(ImpalaOptions))]
[JsonSerializable(typeof(DqnOptions))]
[JsonSerializable(typeof(Tempo.Algorithms.Sac.SacOptions))]
[JsonSerializable(typeof(Tempo.Algorithms.Sac.DiscreteSacOptions))]
[JsonSerializable(typeof(ScheduleKind))]
internal sealed partial class RunConfigJsonContext : JsonSerializerContext;
