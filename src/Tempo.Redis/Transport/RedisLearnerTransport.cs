using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Redis.Policies;
using Tempo.Redis.Status;
using Tempo.Redis.Streams;
using Tempo.Runtime.Hosts.Remote;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Redis.Transport;

/// <summary>The learner's end of a Redis fleet: the stream reader, the snapshot publisher, acknowledgements after each update, and the learner's heartbeat.</summary>
internal sealed class RedisLearnerTransport<TObservation, TAction> : ILearnerTransport<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly FleetConnection _connection;
    private readonly RedisSegmentReader<TObservation, TAction> _reader;
    private readonly RedisPolicyPublisher _publisher;
    private readonly LearnerLock _lock;
    private readonly string _description;
    private Heartbeat? _heartbeat;

    public RedisLearnerTransport(FleetConnection connection, RunDescription description, TransportShape shape, LearnerLock learnerLock)
    {
        _connection = connection;
        _lock = learnerLock;
        _description = description.ToJson();
        var run = description.RunId;
        SegmentCodec = new SegmentCodec<TObservation, TAction>(run, shape.Layout, shape.DiscreteActionCount, shape.ObservationSpace);

        // The local queue, the batch and the one being decoded.
        Pool = new SegmentPool<TObservation, TAction>(shape.Layout, shape.PoolCapacity + 2);
        var snapshots = new PolicySnapshotCodec(run, shape.WeightCount);
        var offset = VersionOffset(connection, snapshots, shape.LearnerVersion);
        _reader = new RedisSegmentReader<TObservation, TAction>(connection, SegmentCodec, Pool, shape.PoolCapacity, offset);
        _publisher = new RedisPolicyPublisher(connection, snapshots, offset, learnerLock);
        Callbacks = new AcknowledgeAfterUpdate(_reader);
    }

    public SegmentCodec<TObservation, TAction> SegmentCodec { get; }

    public SegmentPool<TObservation, TAction> Pool { get; }

    public ISegmentReader<Segment<TObservation, TAction>> Reader => _reader;

    public IPolicyPublisher Publisher => _publisher;

    public ITrainingCallbacks Callbacks { get; }

    /// <summary>The stream reader, for its counters.</summary>
    internal RedisSegmentReader<TObservation, TAction> StreamReader => _reader;

    /// <summary>The publisher, for its counters.</summary>
    internal RedisPolicyPublisher SnapshotPublisher => _publisher;

    public void Start(Func<LearnerProcessProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var incarnation = _connection.Database.StringIncrement(_connection.Keys.Incarnation("learner"));
        _heartbeat = new Heartbeat(_connection, "learner", () =>
        {
            var now = progress();
            return new FleetMemberStatus
            {
                Member = "learner",
                Role = FleetRole.Learner,
                Incarnation = incarnation,
                Host = Environment.MachineName,
                ProcessId = Environment.ProcessId,
                Steps = now.GlobalStep,
                PolicyVersion = now.PolicyVersion.Value,
                Updates = now.Updates,
                SegmentsStale = now.SegmentsStale,
                SegmentsReceived = _reader.Accepted,
                SegmentsRejected = _reader.RejectedTotal - _reader.Rejected(EntryRejection.Duplicate),
                SegmentsDuplicate = _reader.Rejected(EntryRejection.Duplicate),
                NonFiniteSnapshots = _publisher.NonFinite,
            };
        }, RepublishDescriptionAsync);
    }

    public void Finish() => _connection.Database.StringSet(_connection.Keys.Finished, "1");

    public void Dispose()
    {
        _heartbeat?.Dispose();
        _reader.Dispose();
        _lock.Dispose();
    }

    /// <summary>A Redis that restarted empty lost the run's description; the learner writes it again, so actors can still join.</summary>
    private async Task RepublishDescriptionAsync(StackExchange.Redis.IDatabase database)
    {
        if (await database.StringSetAsync(_connection.Keys.Description, _description, when: StackExchange.Redis.When.NotExists).ConfigureAwait(false))
        {
            _connection.Log($"run {_connection.Keys.Run}'s description was gone from Redis (restarted empty?); published it again");
        }
    }

    /// <summary>How far above the learner's versions the wire's must be so that the first snapshot this learner publishes is newer than the last one of the run in Redis.</summary>
    private static long VersionOffset(FleetConnection connection, PolicySnapshotCodec codec, PolicyVersion learnerVersion)
    {
        var stored = connection.Database.StringGet(connection.Keys.Policy);
        var last = new PolicySnapshot(codec.WeightCount);
        if (stored.IsNull || !codec.TryDecode(((ReadOnlyMemory<byte>)stored).Span, last, out _))
        {
            return 0;
        }

        return Math.Max(0, last.Version.Value - learnerVersion.Value + 1);
    }

    /// <summary>After an update every segment read so far was trained on or dropped as stale: acknowledge them.</summary>
    private sealed class AcknowledgeAfterUpdate(RedisSegmentReader<TObservation, TAction> reader) : ITrainingCallbacks
    {
        public void OnUpdateFinished(in UpdateFinished update) => reader.AcknowledgeUsed();
    }
}
