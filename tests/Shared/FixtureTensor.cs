using System.Text.Json;

namespace Tempo.Tests.Shared;

/// <summary>A tensor read from a reference fixture: <c>{shape, data}</c>, row-major, as PyTorch laid it out.</summary>
internal sealed record FixtureTensor(int[] Shape, double[] Data)
{
    /// <summary>Reads <c>element[name]</c> as a tensor.</summary>
    public static FixtureTensor Read(JsonElement element, string name)
    {
        var tensor = element.GetProperty(name);
        var shape = tensor.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var data = tensor.GetProperty("data").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var expected = shape.Aggregate(1, (a, b) => a * b);
        if (data.Length != expected)
        {
            throw new InvalidDataException($"Fixture tensor {name} has shape [{string.Join(", ", shape)}] but {data.Length} elements.");
        }

        return new FixtureTensor(shape, data);
    }

    /// <summary>The data as float32.</summary>
    public float[] Floats => Data.Select(x => (float)x).ToArray();

    /// <summary>Loads a fixture file as a JSON document.</summary>
    public static JsonDocument Load(string folder, string fileName) =>
        JsonDocument.Parse(File.ReadAllText(FixturePaths.Require(folder, fileName)));
}
