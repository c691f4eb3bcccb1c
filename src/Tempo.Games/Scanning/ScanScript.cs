using System.Text.Json;
using System.Text.Json.Nodes;
using Tempo.Games.Memory;

namespace Tempo.Games.Scanning;

/// <summary>A value the scanner looks for: a name and a type.</summary>
/// <param name="Name">The chain name it will get ("x", "coins").</param>
/// <param name="Type">Its type in memory.</param>
/// <param name="MinChange">The least an increase or decrease moves it (a position moves by pixels, not by 0.01), to tell it from accumulators and noise.</param>
public sealed record ScanTarget(string Name, ChainValueType Type, double MinChange = 0);

/// <summary>One scripted step: hold keys for a while, let the game settle, then every target must have changed as said.</summary>
/// <param name="Keys">Keys held during the step (X11 keysym names); empty: just wait.</param>
/// <param name="Hold">How long the keys are held (with <paramref name="Until"/>: at most).</param>
/// <param name="Settle">The longest wait after releasing before reading: the scanner reads as soon as the targets' candidates have been still for a few of the game's ticks (<see cref="ScanScript.Tick"/>), or after this long when none is watched yet (SuperTux slides for about 1 s).</param>
/// <param name="Expect">Per target name, how its value changed over the step; a target not named is <see cref="ScanChange.Any"/>.</param>
/// <param name="Until">Stop holding once a target found so far reads past a bound, or null to hold for <paramref name="Hold"/>.</param>
public sealed record ScanStep(IReadOnlyList<string> Keys, TimeSpan Hold, TimeSpan Settle, IReadOnlyDictionary<string, ScanChange> Expect, ScanUntil? Until = null);

/// <summary>
/// Ends a verify step's hold by what the game did rather than by wall time: once <paramref name="Target"/> (read through
/// its chains, so only in verify steps) reads at least <paramref name="AtLeast"/> or at most <paramref name="AtMost"/>.
/// A loaded machine slows the game down, and a walk to a place would stop short of it after a fixed time.
/// </summary>
/// <param name="Target">The target whose value ends the hold.</param>
/// <param name="AtLeast">The hold ends once the value is at least this, or null.</param>
/// <param name="AtMost">The hold ends once the value is at most this, or null.</param>
public sealed record ScanUntil(string Target, double? AtLeast, double? AtMost)
{
    /// <summary>Whether <paramref name="value"/> ends the hold.</summary>
    public bool IsMet(double value) => (AtLeast is not { } low || value >= low) && (AtMost is not { } high || value <= high);
}

/// <summary>
/// A differential scan as data: the targets and the scripted steps, e.g. for SuperTux "hold Right 1 s: x increased,
/// coins increased; wait: x unchanged; hold Left: x decreased". Read from JSON:
/// <c>{"tick": 0.015625, "targets": [{"name": "x", "type": "float32"}], "steps": [{"keys": ["Right"], "hold": 1.0, "settle": 1.2, "expect": {"x": "increased"}}], "verify": [...]}</c>
/// ("verify" defaults to the steps again).
/// </summary>
/// <param name="Targets">The values to find.</param>
/// <param name="Steps">The narrowing steps, in order.</param>
/// <param name="Verify">The steps run after the chain search: candidates narrow further and every chain, followed anew at each step, must change as they say.</param>
public sealed record ScanScript(IReadOnlyList<ScanTarget> Targets, IReadOnlyList<ScanStep> Steps, IReadOnlyList<ScanStep> Verify)
{
    /// <summary>The game's logic step at full speed ("tick", seconds; SuperTux: 1/64 s): the least a value must stay still, a few times over, to count as at rest after a step. Default 1/60 s.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(1.0 / 60);

    /// <summary>Reads a script file; errors name the file and the bad value.</summary>
    public static ScanScript Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read scan script '{path}': {e.Message}", e);
        }
    }

    /// <summary>Parses script JSON; <paramref name="source"/> names it in errors.</summary>
    public static ScanScript Parse(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"scan script '{source}' is not valid JSON: {e.Message}", e);
        }

        if (root?["targets"] is not JsonArray targetArray || targetArray.Count == 0 || root["steps"] is not JsonArray stepArray || stepArray.Count == 0)
        {
            throw new ArgumentException($"scan script '{source}' needs non-empty \"targets\" and \"steps\" arrays");
        }

        var targets = targetArray.Select(t => new ScanTarget(
            t?["name"]?.GetValue<string>() ?? throw new ArgumentException($"scan script '{source}': a target has no \"name\""),
            t["type"]?.GetValue<string>() switch
            {
                "float32" => ChainValueType.Float32,
                "int32" => ChainValueType.Int32,
                var other => throw new ArgumentException($"scan script '{source}': target type '{other}' is not float32 or int32"),
            },
            t["min_change"]?.GetValue<double>() ?? 0)).ToArray();
        var steps = ParseSteps(stepArray, targets, source, "steps");
        var verify = root["verify"] is JsonArray verifyArray && verifyArray.Count > 0 ? ParseSteps(verifyArray, targets, source, "verify") : steps;
        var tick = root["tick"]?.GetValue<double>() ?? (1.0 / 60);
        if (!(tick > 0 && tick <= 1))
        {
            throw new ArgumentException($"scan script '{source}': \"tick\" is the game's logic step in seconds, between 0 and 1, got {tick}");
        }

        return new ScanScript(targets, steps, verify) { Tick = TimeSpan.FromSeconds(tick) };
    }

    private static List<ScanStep> ParseSteps(JsonArray stepArray, ScanTarget[] targets, string source, string list)
    {
        var steps = new List<ScanStep>();
        foreach (var s in stepArray)
        {
            var expect = new Dictionary<string, ScanChange>();
            if (s?["expect"] is JsonObject expectObject)
            {
                foreach (var (name, value) in expectObject)
                {
                    if (!targets.Any(t => t.Name == name))
                    {
                        throw new ArgumentException($"scan script '{source}': {list}[{steps.Count}] expects '{name}', which is not a target");
                    }

                    expect[name] = Enum.TryParse<ScanChange>(value?.GetValue<string>(), ignoreCase: true, out var change)
                        ? change
                        : throw new ArgumentException($"scan script '{source}': {list}[{steps.Count}]: '{value}' is not one of increased, decreased, unchanged, changed, any");
                }
            }

            ScanUntil? until = null;
            if (s?["until"] is JsonObject untilObject)
            {
                var target = untilObject["target"]?.GetValue<string>();
                if (list != "verify" || !targets.Any(t => t.Name == target))
                {
                    throw new ArgumentException($"scan script '{source}': {list}[{steps.Count}]: \"until\" needs a target's name in \"target\" and works only in \"verify\" steps (it reads the target through its chains), got '{target}'");
                }

                until = new ScanUntil(target!, untilObject["at_least"]?.GetValue<double>(), untilObject["at_most"]?.GetValue<double>());
                if (until.AtLeast is null && until.AtMost is null)
                {
                    throw new ArgumentException($"scan script '{source}': {list}[{steps.Count}]: \"until\" needs \"at_least\" or \"at_most\"");
                }
            }

            steps.Add(new ScanStep(
                s?["keys"] is JsonArray keys ? keys.Select(k => k!.GetValue<string>()).ToArray() : [],
                TimeSpan.FromSeconds(s?["hold"]?.GetValue<double>() ?? 0),
                TimeSpan.FromSeconds(s?["settle"]?.GetValue<double>() ?? 1),
                expect,
                until));
        }

        return steps;
    }
}
