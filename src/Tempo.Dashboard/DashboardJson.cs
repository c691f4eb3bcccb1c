using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tempo.Dashboard;

/// <summary>The JSON of every endpoint and event: camelCase, enums as names, nulls kept (a null cell is data).</summary>
internal static class DashboardJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
