using StackExchange.Redis;
using Tempo.Algorithms.Experience;
using Tempo.Redis.Policies;
using Tempo.Redis.Status;
using Tempo.Redis.Streams;
using Tempo.Runtime.Hosts.Remote;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Redis.Transport;

/// <summary>An actor process's end of a Redis fleet: the outbox writer, the snapshot source, its heartbeat, and the run-finished signal.</summary>
internal sealed class RedisActorTransport<TObservation, TAction> : IActorTransport<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly FleetConnection _connection;
    private readonly RedisSegmentWriter<TObservation, TAction> _writer;
    private readonly RedisPolicySource _policies;
    private readonly CancellationTokenSource _finished = new();
    private readonly long _incarnation;
    private Heartbeat? _heartbeat;

    public RedisActorTransport(FleetConnection connection, RunId run, TransportShape shape, IReadOnlyList<ActorId> actorIds, long incarnation)
    {
        _connection = connection;
        _incarnation = incarnation;
        ActorIds = actorIds;
        Member = $"actor-{actorIds[0].Value}";
        ProcessSalt = (incarnation * 1_000_003) + actorIds[0].Value;
        var codec = new SegmentCodec<TObservation, TAction>(run, shape.Layout, shape.DiscreteActionCount, shape.ObservationSpace);
        Pool = new SegmentPool<TObservation, TAction>(shape.Layout, shape.PoolCapacity);
        _writer = new RedisSegmentWriter<TObservation, TAction>(connection, codec, Pool, actorIds, incarnation, shape.WhenFull);
        _policies = new RedisPolicySource(connection, new PolicySnapshotCodec(run, shape.WeightCount));
    }

    public IReadOnlyList<ActorId> ActorIds { get; }

    public long ProcessSalt { get; }

    /// <summary>This process's key among the fleet's members.</summary>
    public string Member { get; }

    public SegmentPool<TObservation, TAction> Pool { get; }

    public ISegmentWriter<Segment<TObservation, TAction>> Writer => _writer;

    public IPolicySource Policies => _policies;

    public CancellationToken RunFinished => _finished.Token;

    /// <summary>The outbox writer, for its counters.</summary>
    internal RedisSegmentWriter<TObservation, TAction> SegmentWriter => _writer;

    public void Start(Func<ActorProcessProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        _heartbeat = new Heartbeat(
            _connection,
            Member,
            () =>
            {
                var now = progress();
                var version = now.PolicyVersion?.Value ?? -1;
                var announced = _policies.AnnouncedVersion;
                return new FleetMemberStatus
                {
                    Member = Member,
                    Role = FleetRole.Actor,
                    Incarnation = _incarnation,
                    Host = Environment.MachineName,
                    ProcessId = Environment.ProcessId,
                    Steps = now.Steps,
                    PolicyVersion = version,
                    PolicyLag = version >= 0 && announced > version ? announced - version : 0,
                    GapP50Ms = now.ActionGaps?.P50.TotalMilliseconds,
                    GapP99Ms = now.ActionGaps?.P99.TotalMilliseconds,
                    GapMaxMs = now.ActionGaps?.Max.TotalMilliseconds,
                    LateTicks = now.LateTicks,
                    SegmentsWritten = now.SegmentsWritten,
                    SegmentsSent = _writer.Sent,
                    SegmentsDropped = _writer.Dropped,
                    SegmentsBuffered = _writer.Buffered,
                };
            },
            CheckFinishedAsync);
    }

    public void Dispose()
    {
        _heartbeat?.Dispose();

        // What is still buffered gets a moment to reach Redis; then the process lets it go.
        _writer.Complete();
        _writer.Flush(TimeSpan.FromSeconds(2));
        _writer.Dispose();
        _policies.Dispose();
        _finished.Dispose();
    }

    private async Task CheckFinishedAsync(IDatabase database)
    {
        if (await database.KeyExistsAsync(_connection.Keys.Finished).ConfigureAwait(false))
        {
            await _finished.CancelAsync().ConfigureAwait(false);
        }
    }
}
