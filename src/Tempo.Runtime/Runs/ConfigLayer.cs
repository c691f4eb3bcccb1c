using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tempo.Runtime.Runs;

/// <summary>One layer of run settings as flat config keys (<c>"num-envs": 8</c>): a stored config, a config file, or command-line flags; later layers win.</summary>
/// <param name="Source">Names the layer in error messages (a file's path, "the command line").</param>
/// <param name="Values">The keys this layer sets.</param>
public sealed record ConfigLayer(string Source, JsonObject Values)
{
    /// <summary>Where each key stands in the layer's text (1-based line and column), for layers parsed from text; empty for others.</summary>
    public IReadOnlyDictionary<string, (int Line, int Column)> Positions { get; init; } = new Dictionary<string, (int Line, int Column)>();

    /// <summary>Names <paramref name="key"/>'s place for error messages: the layer, and the key's line and column when known.</summary>
    public string Locate(string key) =>
        Positions.TryGetValue(key, out var at) ? string.Create(CultureInfo.InvariantCulture, $"{Source}, line {at.Line}, column {at.Column}") : Source;

    /// <summary>Parses a config's JSON text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The text is not a JSON object.</exception>
    public static ConfigLayer Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonNode.Parse(json) is JsonObject values
                ? new ConfigLayer(source, values) { Positions = KeyPositions(json) }
                : throw new InvalidDataException($"{source} must hold a JSON object of settings.");
        }
        catch (JsonException error)
        {
            // JSON's own positions count from 0; people count lines and columns from 1.
            var where = error.LineNumber is { } line ? $" at line {line + 1}, column {(error.BytePositionInLine ?? 0) + 1}" : string.Empty;
            throw new InvalidDataException($"{source} is not valid JSON{where}.", error);
        }
    }

    /// <summary>Reads a config file.</summary>
    /// <exception cref="InvalidDataException">The path is a folder, does not exist, cannot be read, or does not hold a JSON object.</exception>
    public static ConfigLayer ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new InvalidDataException($"config {full} is a folder; give a JSON file.");
        }

        if (!File.Exists(full))
        {
            throw new InvalidDataException($"config file {full} does not exist.");
        }

        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"config file {full} cannot be read: {error.Message}", error);
        }

        return Parse(text, $"Config file {full}");
    }

    /// <summary>The line and column (1-based, in characters) of every top-level key of a JSON object's text.</summary>
    private static Dictionary<string, (int Line, int Column)> KeyPositions(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var positions = new Dictionary<string, (int Line, int Column)>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                var start = (int)reader.TokenStartIndex;
                var lineStart = Array.LastIndexOf(bytes, (byte)'\n', Math.Max(start - 1, 0)) + 1;
                var line = 1 + bytes.AsSpan(0, lineStart).Count((byte)'\n');
                var column = 1 + Encoding.UTF8.GetCharCount(bytes, lineStart, start - lineStart);
                positions[reader.GetString()!] = (line, column);
            }
        }

        return positions;
    }
}
