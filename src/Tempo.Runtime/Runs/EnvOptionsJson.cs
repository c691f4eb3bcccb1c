using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Tempo.Core.Envs.Registry;

namespace Tempo.Runtime.Runs;

/// <summary>An env's options record as JSON, so configs and checkpoints rebuild the env exactly as it was trained.</summary>
/// <remarks>Env options are plain records of values whose type only the env's registry spec knows (user envs bring their own), so they go through reflection-based serialization rather than generated metadata.</remarks>
internal static class EnvOptionsJson
{
    private static readonly JsonSerializerOptions _options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        IgnoreReadOnlyProperties = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Env options types are kept: the registry spec references them.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Env options are plain records.")]
    public static JsonNode? Serialize(object options) => JsonSerializer.SerializeToNode(options, options.GetType(), _options);

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Env options types are kept: the registry spec references them.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Env options are plain records.")]
    public static object Deserialize(JsonNode value, EnvSpec spec, string source)
    {
        if (spec.OptionsType is not { } type)
        {
            throw new InvalidDataException($"{source}: env-options given, but {spec.Id} takes no options.");
        }

        try
        {
            return value.Deserialize(type, _options) ?? throw new InvalidDataException($"{source}: env-options of {spec.Id} are empty.");
        }
        catch (JsonException error)
        {
            // The serializer's message names .NET types; the user wrote JSON, so name the place in their keys instead.
            var at = "env-options" + (error.Path ?? "$").TrimStart('$');
            throw new InvalidDataException($"{source}: {at} does not fit the options of {spec.Id} (an unknown key, or a value of the wrong kind).", error);
        }
    }
}
