using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Tempo.Core.Envs.Live;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Runs;

/// <summary>Run settings as a flat JSON config whose keys are <c>tempo train</c>'s flags without dashes (<c>"num-envs": 8</c>): written to <c>config.json</c> and checkpoints, read from config files and flags.</summary>
/// <remarks>
/// <para>Every key has one home: a run key (<c>env</c>, <c>algo</c>, <c>schedule</c>, <c>seed</c>, …), a key of
/// <see cref="CollectionOptions"/>, <see cref="ModelOptions"/> or <see cref="AsynchronousOptions"/>, or a key of the
/// chosen algorithm's own options. A key of another algorithm (<c>gae-lambda</c> on an APPO run) is an error, as
/// is an unknown key or a value of the wrong type; each error names the key and the layer it came from.</para>
/// <para>Layers are applied in order over the defaults of the env's recipe and the chosen algorithm
/// (<see cref="ActorCriticRecipes.Defaults"/>), which depend on keys a later layer may set; so layers are merged
/// first and resolved once.</para>
/// </remarks>
public static class RunConfig
{
    private const string DefaultEnv = "CartPole-v1";
    private static readonly string[] _runKeys = ["env", "env-options", "tick-rate", "algo", "schedule", "seed", "run-dir", "target-return", "pause", "checkpoint-every", "num-learners"];

    /// <summary>Writes <paramref name="settings"/> as a flat config: run keys, then collection, model, asynchronous and the algorithm's keys.</summary>
    public static string Serialize(RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var root = new JsonObject
        {
            ["env"] = settings.Env,
            ["env-options"] = settings.EnvOptions is { } options ? EnvOptionsJson.Serialize(options) : null,
            ["algo"] = settings.Algorithm.Name,
            ["schedule"] = JsonSerializer.SerializeToNode(settings.Schedule, RunConfigJsonContext.Default.ScheduleKind),
            ["seed"] = settings.Seed,
            ["run-dir"] = settings.RunDirectory,
            ["target-return"] = settings.TargetReturn,
            ["pause"] = settings.Pause,
            ["checkpoint-every"] = settings.CheckpointEvery,
            ["num-learners"] = settings.NumLearners,
        };
        Append(root, JsonSerializer.SerializeToNode(settings.Collection, RunConfigJsonContext.Default.CollectionOptions));
        Append(root, JsonSerializer.SerializeToNode(settings.Model, RunConfigJsonContext.Default.ModelOptions));
        Append(root, JsonSerializer.SerializeToNode(settings.Async, RunConfigJsonContext.Default.AsynchronousOptions));
        Append(root, AlgorithmCatalog.Serialize(settings.Algorithm));
        return root.ToJsonString(RunConfigJsonContext.Default.Options);
    }

    /// <summary>Resolves <paramref name="layers"/> (later ones win) over the defaults of the env's recipe and the chosen algorithm.</summary>
    /// <param name="registry">Where the env named by the <c>env</c> key (default <c>CartPole-v1</c>) is registered.</param>
    /// <param name="layers">The layers, first to last.</param>
    /// <exception cref="InvalidDataException">A key is unknown, belongs to another algorithm, or has a value of the wrong type.</exception>
    /// <exception cref="ArgumentException">The env or algorithm is unknown.</exception>
    public static RunSettings Resolve(EnvRegistry registry, IEnumerable<ConfigLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(layers);
        var layerList = layers.ToArray();
        var algorithmName = "ppo";
        var env = DefaultEnv;
        var layerAlgorithms = new string?[layerList.Length];
        var layerEnvs = new string?[layerList.Length];
        for (var i = 0; i < layerList.Length; i++)
        {
            if (layerList[i].Values.TryGetPropertyValue("algo", out var algo))
            {
                algorithmName = layerAlgorithms[i] = Read((algo, layerList[i].Locate("algo")), "algo", n => n!.GetValue<string>());
            }

            if (layerList[i].Values.TryGetPropertyValue("env", out var named))
            {
                env = layerEnvs[i] = Read((named, layerList[i].Locate("env")), "env", n => n!.GetValue<string>());
            }
        }

        var merged = new Dictionary<string, (JsonNode? Value, string Source)>(StringComparer.Ordinal);
        for (var i = 0; i < layerList.Length; i++)
        {
            foreach (var (key, value) in layerList[i].Values)
            {
                // A layer that names its own algorithm carries that algorithm's keys; when a later layer switches to
                // another algorithm they no longer apply (a resumed run's stored config, then --algo).
                if (layerAlgorithms[i] is { } own && own != algorithmName && AlgorithmCatalog.Keys.TryGetValue(key, out var owners) && owners.Contains(own))
                {
                    continue;
                }

                // Likewise a layer's env options belong to the env it names.
                if (layerEnvs[i] is { } ownEnv && ownEnv != env && key is "env-options" or "tick-rate")
                {
                    continue;
                }

                merged[key] = (value?.DeepClone(), layerList[i].Locate(key));
            }
        }

        var spec = registry.GetSpec(env);
        var defaults = ActorCriticRecipes.Defaults(spec, algorithmName);

        var collection = Keys(JsonSerializer.SerializeToNode(defaults.Collection, RunConfigJsonContext.Default.CollectionOptions));
        var model = Keys(JsonSerializer.SerializeToNode(defaults.Model, RunConfigJsonContext.Default.ModelOptions));
        var asynchronous = Keys(JsonSerializer.SerializeToNode(defaults.Async, RunConfigJsonContext.Default.AsynchronousOptions));
        var algorithm = Keys(AlgorithmCatalog.Serialize(defaults.Algorithm));
        var settings = defaults;
        foreach (var (key, entry) in merged)
        {
            if (collection.ContainsKey(key) || model.ContainsKey(key) || asynchronous.ContainsKey(key) || algorithm.ContainsKey(key))
            {
                continue;
            }

            settings = key switch
            {
                "env" or "algo" => settings,
                "env-options" => settings with { EnvOptions = entry.Value is null ? null : EnvOptionsJson.Deserialize(entry.Value, spec, entry.Source) },
                "tick-rate" => settings with { EnvOptions = Read(entry, key, n => n?.GetValue<double>()) is { } rate ? TickRateOptions(spec, rate) : settings.EnvOptions },
                "schedule" => settings with { Schedule = Read(entry, key, n => n?.GetValueKind() == JsonValueKind.String ? n.Deserialize(RunConfigJsonContext.Default.ScheduleKind) : throw new FormatException("a schedule is named by a string"), "\"sync\" or \"async\"") },
                "seed" => settings with { Seed = Read(entry, key, n => n!.GetValue<int>()) },
                "run-dir" => settings with { RunDirectory = Read(entry, key, n => n?.GetValue<string>()) },
                "target-return" => settings with { TargetReturn = Read(entry, key, n => n?.GetValue<double>()) },
                "pause" => settings with { Pause = Read(entry, key, n => n!.GetValue<bool>()) },
                "checkpoint-every" => settings with { CheckpointEvery = Read(entry, key, n => n!.GetValue<int>()) },
                "num-learners" => settings with { NumLearners = Read(entry, key, n => n!.GetValue<int>()) },
                _ => throw UnknownKey(key, entry.Source, algorithmName, [.. _runKeys, .. collection.Select(p => p.Key), .. model.Select(p => p.Key), .. asynchronous.Select(p => p.Key), .. algorithm.Select(p => p.Key)]),
            };
        }

        return settings with
        {
            Collection = Overlay(collection, merged, RunConfigJsonContext.Default.CollectionOptions),
            Model = Overlay(model, merged, RunConfigJsonContext.Default.ModelOptions),
            Async = Overlay(asynchronous, merged, RunConfigJsonContext.Default.AsynchronousOptions),
            Algorithm = Overlay(algorithm, merged, keys => AlgorithmCatalog.Deserialize(algorithmName, keys)),
        };
    }

    private static void Append(JsonObject root, JsonNode? record)
    {
        foreach (var (key, value) in record!.AsObject())
        {
            root[key] = value?.DeepClone();
        }
    }

    private static JsonObject Keys(JsonNode? record) => record!.AsObject();

    /// <summary>The defaults of one record with the chosen keys set; a value of the wrong type is reported by key and layer.</summary>
    private static T Overlay<T>(JsonObject defaults, Dictionary<string, (JsonNode? Value, string Source)> chosen, JsonTypeInfo<T> type) =>
        Overlay(defaults, chosen, node => node.Deserialize(type)!);

    private static T Overlay<T>(JsonObject defaults, Dictionary<string, (JsonNode? Value, string Source)> chosen, Func<JsonObject, T> read)
    {
        var node = (JsonObject)defaults.DeepClone();
        foreach (var (key, _) in defaults)
        {
            if (chosen.TryGetValue(key, out var entry))
            {
                node[key] = entry.Value?.DeepClone();

                // Check each key on its own, so an error names the one at fault rather than the record.
                _ = Read(entry, key, value =>
                {
                    var single = (JsonObject)defaults.DeepClone();
                    single[key] = value?.DeepClone();
                    return read(single);
                });
            }
        }

        return read(node);
    }

    private static T Read<T>((JsonNode? Value, string Source) entry, string key, Func<JsonNode?, T> read, string? expected = null)
    {
        try
        {
            return read(entry.Value);
        }
        catch (Exception error) when (IsWrongType(error))
        {
            throw new InvalidDataException($"{entry.Source}: '{key}' must be {expected ?? Expected(read)}; got {entry.Value?.ToJsonString() ?? "null"}.", error);
        }
    }

    private static bool IsWrongType(Exception error) =>
        error is InvalidOperationException or FormatException or JsonException or NullReferenceException or ArgumentException;

    /// <summary>What a key takes, in JSON's words (never a .NET type's name): found by offering <paramref name="read"/> one value of each kind.</summary>
    private static string Expected<T>(Func<JsonNode?, T> read)
    {
        bool Accepts(JsonNode? value)
        {
            try
            {
                _ = read(value);
                return true;
            }
            catch (Exception error) when (IsWrongType(error))
            {
                return false;
            }
        }

        return Accepts(JsonValue.Create(0.5)) ? "a number"
            : Accepts(JsonValue.Create(1)) ? "a whole number"
            : Accepts(JsonValue.Create(true)) ? "true or false"
            : Accepts(new JsonArray(JsonValue.Create(1))) ? "a list of whole numbers"
            : Accepts(JsonValue.Create("text")) ? "a string"
            : Accepts(new JsonObject()) ? "an object of settings"
            : "a value of another kind";
    }

    private static InvalidDataException UnknownKey(string key, string source, string algorithm, IEnumerable<string> known)
    {
        if (AlgorithmCatalog.Keys.TryGetValue(key, out var owners))
        {
            return new InvalidDataException($"{source}: '{key}' is a setting of {string.Join(" and ", owners)}; this run trains {algorithm}, which has no such setting.");
        }

        return new InvalidDataException($"{source}: unknown key '{key}'. Known keys: {string.Join(", ", known)}.");
    }

    /// <summary>The env options a <c>tick-rate</c> key means: the live envs' world clock at that rate.</summary>
    private static object TickRateOptions(EnvSpec spec, double rate)
    {
        var ticks = new LiveTickOptions { TickRateHertz = rate };
        ticks.Validate();
        return spec.OptionsType == typeof(LiveCartPoleOptions) ? new LiveCartPoleOptions { Ticks = ticks }
            : spec.OptionsType == typeof(LivePendulumOptions) ? new LivePendulumOptions { Ticks = ticks }
            : throw new ArgumentException($"tick-rate applies to live envs (LiveCartPole-v1, LivePendulum-v1); {spec.Id} runs as fast as it is stepped.");
    }
}
