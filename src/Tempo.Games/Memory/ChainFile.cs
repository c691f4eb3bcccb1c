using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tempo.Games.Memory;

/// <summary>
/// A JSON file of pointer chains, the format <c>tempo scan</c> writes and a game env loads:
/// <c>{"game": "...", "chains": [{"name": "x", "module": "supertux2", "symbol": "_ZN6Sector9s_currentE", "offsets": ["0x10", "0x0", "0x88"], "type": "float32", "expect": 96, "tolerance": 1}]}</c>.
/// A chain has either "symbol" or "base" (a hex offset from the module's load address); "expect" and "tolerance" are optional.
/// Any mistake is reported as one line naming the file, the chain and the value.
/// </summary>
/// <param name="Game">What game and build the chains were found on (free text).</param>
/// <param name="Chains">The chains.</param>
public sealed record ChainFile(string Game, IReadOnlyList<PointerChainSpec> Chains)
{
    /// <summary>Reads a chain file.</summary>
    public static ChainFile Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GameMemoryException($"cannot read chain file '{path}': {e.Message}", e);
        }

        return Parse(json, path);
    }

    /// <summary>Parses chain-file JSON; <paramref name="source"/> names it in errors.</summary>
    public static ChainFile Parse(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new GameMemoryException($"chain file '{source}' is not valid JSON: {e.Message}", e);
        }

        if (root is not JsonObject obj || obj["chains"] is not JsonArray array || array.Count == 0)
        {
            throw new GameMemoryException($"chain file '{source}' needs a non-empty \"chains\" array");
        }

        var chains = new List<PointerChainSpec>();
        for (var i = 0; i < array.Count; i++)
        {
            var chain = ParseChain(array[i] as JsonObject ?? throw new GameMemoryException($"chain file '{source}': chain {i} is not an object"), $"chain file '{source}', chain {i}");
            if (chains.Any(c => c.Name == chain.Name))
            {
                throw new GameMemoryException($"chain file '{source}': two chains are named '{chain.Name}'");
            }

            chains.Add(chain);
        }

        return new ChainFile(obj["game"]?.GetValue<string>() ?? "", chains);
    }

    /// <summary>Writes the file's JSON (offsets in hex).</summary>
    public string ToJson()
    {
        var chains = new JsonArray();
        foreach (var c in Chains)
        {
            var node = new JsonObject { ["name"] = c.Name, ["module"] = c.Module };
            if (c.Symbol is not null)
            {
                node["symbol"] = c.Symbol;
            }
            else
            {
                node["base"] = PointerChainSpec.Hex(c.BaseOffset);
            }

            node["offsets"] = new JsonArray(c.Offsets.Select(o => (JsonNode)JsonValue.Create(o < 0 ? "-" + PointerChainSpec.Hex((ulong)-o) : PointerChainSpec.Hex((ulong)o))).ToArray());
            node["type"] = c.Type == ChainValueType.Float32 ? "float32" : "int32";
            if (c.Expect is { } expect)
            {
                node["expect"] = expect;
                node["tolerance"] = c.Tolerance;
            }

            chains.Add(node);
        }

        return new JsonObject { ["game"] = Game, ["chains"] = chains }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes the file.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    private static PointerChainSpec ParseChain(JsonObject node, string where)
    {
        var name = Text(node, "name", where) ?? throw new GameMemoryException($"{where}: \"name\" is missing");
        where = $"{where} ('{name}')";
        var module = Text(node, "module", where) ?? throw new GameMemoryException($"{where}: \"module\" is missing");
        var symbol = Text(node, "symbol", where);
        var baseText = Text(node, "base", where);
        if ((symbol is null) == (baseText is null))
        {
            throw new GameMemoryException($"{where}: give exactly one of \"symbol\" and \"base\"");
        }

        var baseOffset = baseText is null ? 0 : (ulong)ParseOffset(baseText, where, "base");
        if (node["offsets"] is not JsonArray offsetArray)
        {
            throw new GameMemoryException($"{where}: \"offsets\" must be an array of hex strings such as \"0x88\" (empty: the value is at the static address)");
        }

        var offsets = offsetArray.Select(o => ParseOffset(o?.ToString() ?? "", where, "offsets")).ToArray();
        var type = Text(node, "type", where) switch
        {
            "float32" => ChainValueType.Float32,
            "int32" => ChainValueType.Int32,
            var other => throw new GameMemoryException($"{where}: \"type\" is '{other}'; expected float32 or int32"),
        };
        double? expect = node["expect"] is { } e ? Number(e, where, "expect") : null;
        var tolerance = node["tolerance"] is { } t ? Number(t, where, "tolerance") : 0;
        if (tolerance < 0)
        {
            throw new GameMemoryException($"{where}: \"tolerance\" is {tolerance}; it must be 0 or more");
        }

        return new PointerChainSpec(name, module, symbol, baseOffset, offsets, type, expect, tolerance);
    }

    private static string? Text(JsonObject node, string key, string where) => node[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => throw new GameMemoryException($"{where}: \"{key}\" must be a string, got {other.ToJsonString()}"),
    };

    private static double Number(JsonNode node, string where, string key) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d : throw new GameMemoryException($"{where}: \"{key}\" must be a number, got {node.ToJsonString()}");

    private static long ParseOffset(string text, string where, string key)
    {
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        if (!digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            || !long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new GameMemoryException($"{where}: \"{key}\" value '{text}' is not a hex offset such as \"0x88\"");
        }

        return negative ? -value : value;
    }
}
