using System.Text.Json;

namespace Tempo.Dashboard.Tests;

/// <summary>A client of <c>/api/events</c> that parses the SSE wire format itself (an independent reader of what the server writes).</summary>
internal sealed class EventStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader) => (_response, _reader) = (response, reader);

    public static async Task<EventStream> OpenAsync(HttpClient client, Uri address)
    {
        var response = await client.GetAsync(new Uri(address, "/api/events"), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>Reads events until one named <paramref name="name"/> satisfies <paramref name="accept"/>, or fails after <paramref name="seconds"/>.</summary>
    public async Task<JsonElement> NextAsync(string name, double seconds, Func<JsonElement, bool>? accept = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        string? eventName = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == name)
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                if (accept is null || accept(data))
                {
                    return data;
                }
            }
            else if (line.Length == 0)
            {
                eventName = null;
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
