using StackExchange.Redis;
using Tempo.Algorithms.Policies;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Redis.Policies;

/// <summary>An actor process's policy source: a background task fetches each announced snapshot (and polls, since pub/sub is not durable), decodes it into a local store, and actors load from that store without touching the network.</summary>
/// <remarks>When Redis or the learner is away nothing newer arrives, and actors keep acting with the policy they have.</remarks>
internal sealed class RedisPolicySource : IPolicySource, IDisposable
{
    private readonly FleetConnection _connection;
    private readonly PolicySnapshotCodec _codec;
    private readonly PolicyStore _local;
    private readonly PolicySnapshot _decoded;
    private readonly SemaphoreSlim _announced = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;
    private long _announcedVersion = -1;
    private long _rejected;

    public RedisPolicySource(FleetConnection connection, PolicySnapshotCodec codec)
    {
        _connection = connection;
        _codec = codec;
        _local = new PolicyStore(codec.WeightCount);
        _decoded = new PolicySnapshot(codec.WeightCount);
        connection.Multiplexer.GetSubscriber().Subscribe(connection.Keys.PolicyChannel, (_, message) =>
        {
            if (message.TryParse(out long version))
            {
                InterlockedMax(ref _announcedVersion, version);
                _announced.Release();
            }
        });
        _task = Task.Run(FetchLoopAsync);
    }

    /// <summary>The newest version announced or fetched, or -1: what the fleet's learner has published as far as this process knows.</summary>
    public long AnnouncedVersion => Interlocked.Read(ref _announcedVersion);

    /// <summary>Snapshots the codec rejected.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public PolicyVersion? LatestVersion => _local.LatestVersion;

    public bool TryLoadNewer<TObservation, TAction>(IPolicy<TObservation, TAction> policy, PolicyVersion? newerThan)
        where TObservation : unmanaged
        where TAction : unmanaged => _local.TryLoadNewer(policy, newerThan);

    /// <summary>Waits up to <paramref name="timeout"/> for a first snapshot.</summary>
    public bool WaitForFirst(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_local.LatestVersion is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _task.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled while waiting.
        }

        _stop.Dispose();
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private async Task FetchLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var bytes = await _connection.Database.StringGetAsync(_connection.Keys.Policy).ConfigureAwait(false);
                if (!bytes.IsNull)
                {
                    Receive(bytes);
                }
            }
            catch (Exception error) when (error is RedisException or TimeoutException)
            {
                // Redis is away: keep the policy we have and ask again at the next poll.
            }

            try
            {
                await _announced.WaitAsync(_connection.Options.PolicyPollInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Receive(RedisValue bytes)
    {
        // The codec checks the length against its network's before it reads anything sized by the message.
        if (!_codec.TryDecode(((ReadOnlyMemory<byte>)bytes).Span, _decoded, out var reason))
        {
            if (Interlocked.Increment(ref _rejected) <= 3)
            {
                _connection.Log($"policy snapshot rejected: {reason}");
            }

            return;
        }

        InterlockedMax(ref _announcedVersion, _decoded.Version.Value);
        if (_local.LatestVersion is not { } have || _decoded.Version.Value > have.Value)
        {
            _local.Publish(_decoded);
        }
    }
}
