using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tempo.Runtime.Hosts.Remote;
using Tempo.Runtime.Transport;

namespace Tempo.Redis;

/// <summary>A run as its learner publishes it under the run key: what an actor needs to build the same env and network, and what both ends check.</summary>
/// <param name="Schema">The description's schema version.</param>
/// <param name="RunId">The run's id, stamped in every segment and snapshot.</param>
/// <param name="Env">The env id.</param>
/// <param name="Algorithm">The learner's algorithm.</param>
/// <param name="Config">The run's settings as <c>RunConfig</c> JSON (env options, wrappers' settings, collection, model widths, …).</param>
/// <param name="ObservationSpace">The observation space as the learner's env shows it.</param>
/// <param name="ActionSpace">The action space.</param>
/// <param name="Model">The network.</param>
/// <param name="Layout">Segment steps, envs, observation and action sizes, as <c>T×N×O×A</c>.</param>
/// <param name="WeightCount">The policy's weight count.</param>
internal sealed record RunDescription(int Schema, RunId RunId, string Env, string Algorithm, string Config, string ObservationSpace, string ActionSpace, string Model, string Layout, int WeightCount)
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int CurrentSchema = 1;

    /// <summary>The longest description read (a config is a few kilobytes).</summary>
    public const int MaxLength = 1 << 20;

    public static RunDescription For(RunId run, string env, string algorithm, string config, TransportShape shape) => new(
        CurrentSchema,
        run,
        env,
        algorithm,
        config,
        shape.ObservationSpace.ToString() ?? string.Empty,
        shape.ActionSpace.ToString() ?? string.Empty,
        shape.Model.ToString(),
        LayoutText(shape),
        shape.WeightCount);

    public static string LayoutText(TransportShape shape) =>
        string.Create(CultureInfo.InvariantCulture, $"{shape.Layout.Steps}x{shape.Layout.Envs}x{shape.Layout.ObservationSize}x{shape.Layout.ActionSize}");

    /// <summary>Parses the stored JSON; an unknown schema or a missing field is an error naming it.</summary>
    public static RunDescription Parse(string json, string run)
    {
        if (json.Length > MaxLength)
        {
            throw new InvalidDataException($"The description of run {run} is {json.Length} characters, more than {MaxLength}; it is not a Tempo run.");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"The description of run {run} is not a JSON object.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"The description of run {run} is not valid JSON: {error.Message}", error);
        }

        var schema = Int(root, "schema", run);
        if (schema != CurrentSchema)
        {
            throw new InvalidDataException($"Run {run} was published with description schema {schema}; this tempo understands schema {CurrentSchema}. Use the same Tempo version as the learner.");
        }

        return new RunDescription(
            schema,
            RunId.Parse(Text(root, "run-id", run)),
            Text(root, "env", run),
            Text(root, "algorithm", run),
            root["config"] is JsonObject config ? config.ToJsonString() : throw Missing("config", run),
            Text(root, "observation-space", run),
            Text(root, "action-space", run),
            Text(root, "model", run),
            Text(root, "layout", run),
            Int(root, "weight-count", run));
    }

    public string ToJson() => new JsonObject
    {
        ["schema"] = Schema,
        ["run-id"] = RunId.ToString(),
        ["env"] = Env,
        ["algorithm"] = Algorithm,
        ["config"] = JsonNode.Parse(Config),
        ["observation-space"] = ObservationSpace,
        ["action-space"] = ActionSpace,
        ["model"] = Model,
        ["layout"] = Layout,
        ["weight-count"] = WeightCount,
    }.ToJsonString();

    /// <summary>What differs between this run and what an actor built, one entry per difference.</summary>
    public IReadOnlyList<string> Differences(TransportShape shape)
    {
        var differences = new List<string>();
        void Compare(string what, string learner, string actor)
        {
            if (!string.Equals(learner, actor, StringComparison.Ordinal))
            {
                differences.Add($"{what}: learner {learner}, this actor {actor}");
            }
        }

        Compare("observation space", ObservationSpace, shape.ObservationSpace.ToString() ?? string.Empty);
        Compare("action space", ActionSpace, shape.ActionSpace.ToString() ?? string.Empty);
        Compare("model", Model, shape.Model.ToString());
        Compare("segment layout (steps x envs x obs x action)", Layout, LayoutText(shape));
        Compare("weights", WeightCount.ToString(CultureInfo.InvariantCulture), shape.WeightCount.ToString(CultureInfo.InvariantCulture));
        return differences;
    }

    private static string Text(JsonObject root, string key, string run) =>
        root[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw Missing(key, run);

    private static int Int(JsonObject root, string key, string run) =>
        root[key] is JsonValue value && value.TryGetValue<int>(out var number) ? number : throw Missing(key, run);

    private static InvalidDataException Missing(string key, string run) => new($"The description of run {run} has no valid '{key}'.");
}
