using System.Text.Json;
using System.Text.Json.Nodes;
using Tempo.Algorithms.Ppo;

namespace Tempo.Cli.Training;

/// <summary>Reads and writes a flat JSON config whose keys are the flags of <c>tempo train</c> without dashes (<c>"num-envs": 8</c>).</summary>
internal static class TrainConfigFile
{
    private static readonly string[] _runKeys = ["env", "algo", "schedule", "seed", "run-dir", "target-return", "pause", "checkpoint-every", "num-actors", "max-policy-lag", "queue-capacity", "rho-bar", "tick-rate"];

    /// <summary>Writes settings as a flat config: run keys first, then every PPO hyperparameter.</summary>
    public static string Serialize(TrainSettings settings)
    {
        var root = new JsonObject
        {
            ["env"] = settings.Env,
            ["algo"] = JsonSerializer.SerializeToNode(settings.Algo, TrainConfigJsonContext.Default.TrainAlgorithm),
            ["schedule"] = JsonSerializer.SerializeToNode(settings.Schedule, TrainConfigJsonContext.Default.TrainSchedule),
            ["seed"] = settings.Seed,
            ["run-dir"] = settings.RunDir,
            ["target-return"] = settings.TargetReturn,
            ["pause"] = settings.Pause,
            ["checkpoint-every"] = settings.CheckpointEvery,
            ["num-actors"] = settings.NumActors,
            ["max-policy-lag"] = settings.MaxPolicyLag,
            ["queue-capacity"] = settings.QueueCapacity,
            ["rho-bar"] = settings.RhoBar,
            ["tick-rate"] = settings.TickRate,
        };
        foreach (var (key, value) in JsonSerializer.SerializeToNode(settings.Ppo, TrainConfigJsonContext.Default.PpoOptions)!.AsObject())
        {
            root[key] = value?.DeepClone();
        }

        return root.ToJsonString(TrainConfigJsonContext.Default.Options);
    }

    /// <summary>Reads a config file: its run keys over <paramref name="settings"/>, and its PPO keys as a choice to apply over a recipe's defaults.</summary>
    public static (TrainSettings Settings, Func<PpoOptions, PpoOptions> Ppo) Read(string path, TrainSettings settings) =>
        ParseLayer(File.ReadAllText(path), $"Config file {path}", settings);

    /// <summary>Parses a complete config (one that <see cref="Serialize"/> wrote) over <paramref name="defaults"/>; <paramref name="source"/> names it in errors.</summary>
    public static TrainSettings Parse(string json, string source, TrainSettings defaults)
    {
        var (settings, ppo) = ParseLayer(json, source, defaults);
        return settings with { Ppo = ppo(defaults.Ppo) };
    }

    /// <summary>Parses config JSON: its run keys over <paramref name="settings"/>, and its PPO keys as an edit that sets exactly those keys.</summary>
    /// <remarks>Unknown keys and values of the wrong type are errors naming the key, raised here rather than when the edit is applied.</remarks>
    public static (TrainSettings Settings, Func<PpoOptions, PpoOptions> Ppo) ParseLayer(string json, string source, TrainSettings settings)
    {
        var path = source;
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException($"{source} is empty.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {error.Message}", error);
        }
        catch (InvalidOperationException error)
        {
            throw new InvalidDataException($"{path} must hold a JSON object of settings.", error);
        }

        var ppoKeys = JsonSerializer.SerializeToNode(new PpoOptions(), TrainConfigJsonContext.Default.PpoOptions)!.AsObject();
        var chosen = new JsonObject();
        foreach (var (key, value) in root)
        {
            try
            {
                settings = key switch
                {
                    "env" => settings with { Env = value!.GetValue<string>() },
                    "algo" => settings with { Algo = value.Deserialize(TrainConfigJsonContext.Default.TrainAlgorithm) },
                    "schedule" => settings with { Schedule = value.Deserialize(TrainConfigJsonContext.Default.TrainSchedule) },
                    "seed" => settings with { Seed = value!.GetValue<int>() },
                    "run-dir" => settings with { RunDir = value!.GetValue<string>() },
                    "target-return" => settings with { TargetReturn = value?.GetValue<double>() },
                    "pause" => settings with { Pause = value!.GetValue<bool>() },
                    "checkpoint-every" => settings with { CheckpointEvery = value!.GetValue<int>() },
                    "num-actors" => settings with { NumActors = value!.GetValue<int>() },
                    "max-policy-lag" => settings with { MaxPolicyLag = value!.GetValue<long>() },
                    "queue-capacity" => settings with { QueueCapacity = value!.GetValue<int>() },
                    "rho-bar" => settings with { RhoBar = value!.GetValue<double>() },
                    "tick-rate" => settings with { TickRate = value?.GetValue<double>() },
                    _ when ppoKeys.ContainsKey(key) => settings,
                    _ => throw new InvalidDataException($"{path}: unknown key '{key}'. Known keys: {string.Join(", ", _runKeys.Concat(ppoKeys.Select(p => p.Key)))}."),
                };
            }
            catch (Exception error) when (error is InvalidOperationException or FormatException or JsonException or NullReferenceException)
            {
                throw new InvalidDataException($"{path}: key '{key}' has a value of the wrong type ({value?.ToJsonString() ?? "null"}).", error);
            }

            if (ppoKeys.ContainsKey(key))
            {
                chosen[key] = value?.DeepClone();
            }
        }

        PpoOptions SetChosenKeys(PpoOptions options)
        {
            var node = JsonSerializer.SerializeToNode(options, TrainConfigJsonContext.Default.PpoOptions)!.AsObject();
            foreach (var (key, value) in chosen)
            {
                node[key] = value?.DeepClone();
            }

            try
            {
                return node.Deserialize(TrainConfigJsonContext.Default.PpoOptions)!;
            }
            catch (JsonException error)
            {
                throw new InvalidDataException($"{path}: {error.Message}", error);
            }
        }

        // Fail on a PPO value of the wrong type now, while reading the file, not later when the recipe is known.
        SetChosenKeys(settings.Ppo);
        return (settings, SetChosenKeys);
    }
}
