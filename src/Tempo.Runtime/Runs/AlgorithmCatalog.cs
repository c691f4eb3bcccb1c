using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Impala;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Ppo;
using Tempo.Algorithms.Sac;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Runs;

/// <summary>The algorithms a run can be configured with by name: for each, its defaults for a recipe and its config form. Adding an algorithm adds one entry here.</summary>
internal static class AlgorithmCatalog
{
    private static readonly Entry[] _entries =
    [
        Entry.Of(
            "ppo",
            model => model switch
            {
                // ppo_continuous_action.py's and ppo_atari.py's differences from ppo.py.
                ModelKind.GaussianMlp => new PpoOptions { LearningRate = 3e-4, NumMinibatches = 32, UpdateEpochs = 10, EntCoef = 0.0 },
                ModelKind.CategoricalCnn or ModelKind.CategoricalMultiInput => new PpoOptions { ClipCoef = 0.1 },
                _ => new PpoOptions(),
            },
            RunConfigJsonContext.Default.PpoOptions),
        Entry.Of("appo", _ => new AppoOptions(), RunConfigJsonContext.Default.AppoOptions),
        Entry.Of("impala", _ => new ImpalaOptions(), RunConfigJsonContext.Default.ImpalaOptions),
        Entry.Of("dqn", _ => new DqnOptions(), RunConfigJsonContext.Default.DqnOptions),
        Entry.Of("sac", _ => new SacOptions(), RunConfigJsonContext.Default.SacOptions),
        Entry.Of("sac-discrete", _ => new DiscreteSacOptions(), RunConfigJsonContext.Default.DiscreteSacOptions),
    ];

    /// <summary>The names, as configs and <c>--algo</c> spell them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. _entries.Select(e => e.Name)];

    /// <summary>Every key some algorithm has, with the names of the algorithms that have it (to say where a stray key belongs).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Keys { get; } = BuildKeys();

    /// <summary>The options the algorithm named <paramref name="name"/> starts from on a recipe of <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">No algorithm has that name.</exception>
    public static IAlgorithm Defaults(string name, ModelKind model) => Find(name).Defaults(model);

    /// <summary>The algorithm's options as flat config keys.</summary>
    /// <exception cref="ArgumentException">The algorithm has no config form (it is not in the catalog).</exception>
    public static JsonObject Serialize(IAlgorithm algorithm) => Find(algorithm.Name).Serialize(algorithm);

    /// <summary>The options of the algorithm named <paramref name="name"/> from flat config keys.</summary>
    public static IAlgorithm Deserialize(string name, JsonObject keys) => Find(name).Deserialize(keys);

    private static Entry Find(string name) =>
        Array.Find(_entries, e => e.Name == name)
        ?? throw new ArgumentException($"Unknown algorithm '{name}'; known: {string.Join(", ", Names)}.");

    private static Dictionary<string, IReadOnlyList<string>> BuildKeys()
    {
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var entry in _entries)
        {
            foreach (var (key, _) in entry.Serialize(entry.Defaults(ModelKind.CategoricalMlp)))
            {
                keys[key] = keys.TryGetValue(key, out var names) ? [.. names, entry.Name] : [entry.Name];
            }
        }

        return keys;
    }

    private sealed record Entry(string Name, Func<ModelKind, IAlgorithm> Defaults, Func<IAlgorithm, JsonObject> Serialize, Func<JsonObject, IAlgorithm> Deserialize)
    {
        public static Entry Of<TOptions>(string name, Func<ModelKind, TOptions> defaults, JsonTypeInfo<TOptions> type)
            where TOptions : IAlgorithm =>
            new(
                name,
                model => defaults(model),
                options => JsonSerializer.SerializeToNode((TOptions)options, type)!.AsObject(),
                keys => keys.Deserialize(type)!);
    }
}
