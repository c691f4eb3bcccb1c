using System.Text.Json;
using System.Threading.Channels;

namespace Tempo.Dashboard.Streaming;

/// <summary>Fans the watchers' news out to every open event stream; a slow page loses its oldest news, never blocks the watchers.</summary>
internal sealed class EventHub
{
    // A page that falls this far behind reconnects anyway (EventSource) and gets a fresh snapshot then.
    private const int Backlog = 256;

    private readonly Lock _lock = new();
    private readonly List<Channel<string>> _subscribers = [];

    /// <summary>How many event streams are open.</summary>
    public int Subscribers
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Opens a stream of ready-to-send SSE messages; dispose the subscription to close it.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(Backlog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
        {
            _subscribers.Add(channel);
        }

        return new Subscription(this, channel);
    }

    /// <summary>Sends <paramref name="data"/> as event <paramref name="name"/> to every open stream.</summary>
    public void Publish<T>(string name, T data)
    {
        var message = Format(name, data);
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(message);
            }
        }
    }

    /// <summary>One SSE message: <c>event:</c> and a single-line JSON <c>data:</c>.</summary>
    public static string Format<T>(string name, T data) => $"event: {name}\ndata: {JsonSerializer.Serialize(data, DashboardJson.Options)}\n\n";

    private void Remove(Channel<string> channel)
    {
        lock (_lock)
        {
            _subscribers.Remove(channel);
        }
    }

    /// <summary>One page's stream of messages.</summary>
    internal sealed class Subscription(EventHub hub, Channel<string> channel) : IDisposable
    {
        public ChannelReader<string> Messages => channel.Reader;

        public void Dispose() => hub.Remove(channel);
    }
}
