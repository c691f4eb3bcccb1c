using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Hosts;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Loopback;
using Tempo.Runtime.Transport.Wire;
using Tempo.Tests.Shared;

namespace Tempo.Runtime.Tests.Transport.Loopback;

/// <summary>An actor host and a learner host joined only by bytes: every segment and snapshot crosses the codecs.</summary>
public sealed class LoopbackWireTransportTests
{
    private const int Actors = 2;
    private const int EnvsPerActor = 4;
    private const int Steps = 32;
    private const int SegmentsPerUpdate = 2;

    private static readonly SegmentLayout _layout = new(Steps, EnvsPerActor, ObservationSize: 4, ActionSize: 1);

    [Fact]
    [Trait("Category", "Slow")]
    public void AppoOnCartPole_ThroughTheWire_ReachesReturn150AndEveryMessageCrossedTheCodecs()
    {
        // CleanRL's CartPole threshold is 475; 150 (random play: about 22) shows learning through the bytes in seconds.
        using var rig = new CartPoleRig(budget: 300_000, target: 150);

        rig.Run();

        var wire = rig.Transport.Statistics;
        var actors = rig.ActorHost.Statistics;
        var learner = rig.LearnerHost.Statistics;
        Assert.True(rig.Callbacks.SolvedAtStep is not null, $"APPO through the wire reached a best last-20 mean of {rig.Callbacks.BestMean:F1} after {rig.LearnerHost.GlobalStep} steps.");
        Assert.True(learner.Updates > 10);

        // Every segment an actor wrote was encoded, every one the learner read was decoded, nothing was rejected.
        Assert.Equal(actors.SegmentsWritten, wire.SegmentsEncoded);
        Assert.Equal(learner.SegmentsRead, wire.SegmentsDecoded);
        Assert.Equal(wire.SegmentsEncoded, wire.Channel.Written);
        Assert.Equal(0, wire.SegmentsRejected);

        // Every snapshot (the first, then one per update) was encoded; the actors saw only decoded ones.
        Assert.Equal(learner.Updates + 1, wire.SnapshotsEncoded);
        Assert.InRange(wire.SnapshotsDecoded, 2, wire.SnapshotsEncoded);
        Assert.Equal(0, wire.SnapshotsRejected);

        // The two sides share no segments, and both got every one back.
        Assert.Equal(0, rig.Transport.ActorPool.Statistics.Outstanding);
        Assert.Equal(0, rig.Transport.LearnerPool.Statistics.Outstanding);
    }

    [Fact]
    public void InjectedForeignAndCorruptedMessages_AreRejectedAndCounted_WhileTrainingGoesOn()
    {
        using var rig = new CartPoleRig(budget: 6 * Actors * EnvsPerActor * Steps * SegmentsPerUpdate, target: double.PositiveInfinity);
        var valid = new byte[rig.Transport.SegmentCodec.MaxEncodedLength];
        var length = rig.Transport.SegmentCodec.Encode(new Segment<float, int>(_layout), valid);
        var foreign = new byte[length];
        new SegmentCodec<float, int>(RunId.NewUnique(), _layout).Encode(new Segment<float, int>(_layout), foreign);
        var flipped = valid[..length];
        flipped[SegmentWireFormat.HeaderLength + 3] ^= 0x40;

        // Queued ahead of every real segment, so the learner meets them before its first update.
        Assert.True(rig.Transport.TryInject(foreign));
        Assert.True(rig.Transport.TryInject(flipped));
        Assert.True(rig.Transport.TryInject(valid.AsSpan(0, length - 7)));
        rig.Run();

        var codec = rig.Transport.SegmentCodec;
        Assert.Equal(1, codec.Rejected(SegmentRejection.ForeignRun));
        Assert.Equal(1, codec.Rejected(SegmentRejection.ChecksumMismatch));
        Assert.Equal(1, codec.Rejected(SegmentRejection.Truncated));
        var wire = rig.Transport.Statistics;
        Assert.Equal(3, wire.SegmentsRejected);
        Assert.Equal(3, wire.MessagesInjected);

        // Training went on: every real segment was decoded and trained on up to the budget.
        var learner = rig.LearnerHost.Statistics;
        Assert.Equal(learner.SegmentsRead, wire.SegmentsDecoded);
        Assert.Equal(rig.ActorHost.Statistics.SegmentsWritten, wire.SegmentsEncoded);
        Assert.True(learner.Updates >= 5, $"{learner.Updates} updates");
        Assert.Equal(0, rig.Transport.LearnerPool.Statistics.Outstanding);
    }

    [Fact]
    public void Publish_SnapshotWithNaN_IsRefusedAndNeverReachesTheActors()
    {
        var transport = Transport(weightCount: 3);
        var policy = new LoadRecordingPolicy(3);
        transport.Publisher.Publish(new PolicySnapshot(new PolicyVersion(1), [1, 2, 3]));
        Assert.True(transport.Policies.TryLoadNewer(policy, newerThan: null));

        var error = Assert.Throws<ArgumentException>(() => transport.Publisher.Publish(new PolicySnapshot(new PolicyVersion(2), [1, float.NaN, 3])));

        Assert.Contains("NaN", error.Message);
        Assert.Equal(1, transport.Statistics.SnapshotsEncoded);
        Assert.Equal(new PolicyVersion(1), transport.Policies.LatestVersion);
        Assert.False(transport.Policies.TryLoadNewer(policy, policy.Version));
        Assert.Equal([1f, 2f, 3f], policy.Weights);
    }

    [Fact]
    public void Publish_ThenLoad_CarriesVersionAndWeightsThroughTheCodec()
    {
        var transport = Transport(weightCount: 3);
        var policy = new LoadRecordingPolicy(3);

        transport.Publisher.Publish(new PolicySnapshot(new PolicyVersion(4), [0.5f, -1, 7]));
        transport.Publisher.Publish(new PolicySnapshot(new PolicyVersion(9), [1.5f, -2, 8]));

        Assert.True(transport.Policies.TryLoadNewer(policy, new PolicyVersion(4)));
        Assert.Equal(new PolicyVersion(9), policy.Version);
        Assert.Equal([1.5f, -2f, 8f], policy.Weights);
        Assert.Equal((2L, 1L, 0L), (transport.Statistics.SnapshotsEncoded, transport.Statistics.SnapshotsDecoded, transport.Statistics.SnapshotsRejected));
    }

    [Fact]
    public void WriteThenRead_SegmentAndSnapshot_AllocateNothingInSteadyState()
    {
        var transport = Transport(weightCount: 64);
        var policy = new LoadRecordingPolicy(64);
        var snapshot = new PolicySnapshot(64);
        long version = 0;

        var bytes = Allocations.OnThisThread(
            () =>
            {
                var segment = transport.ActorPool.Rent();
                segment.Truncated[3] = true;
                segment.Episodes.Add(new SegmentEpisode(1, new EpisodeStatistics(10, 10, 0.1)));
                Assert.True(transport.Writer.TryWrite(segment));
                Assert.True(transport.Reader.TryRead(out var decoded));
                transport.LearnerPool.Return(decoded);
                snapshot.Version = new PolicyVersion(++version);
                transport.Publisher.Publish(snapshot);
                Assert.True(transport.Policies.TryLoadNewer(policy, policy.Version));
            },
            warmUp: 20,
            repetitions: 100);

        Assert.Equal(0, bytes);
    }

    [Fact]
    public void TryWrite_QueueFullInWaitMode_LeavesTheSegmentWithTheWriter()
    {
        var transport = new LoopbackWireTransport<float, int>(RunId.NewUnique(), _layout, 3, new SegmentChannelOptions { Capacity = 1, WhenFull = QueueFullMode.Wait }, 4);
        var first = transport.ActorPool.Rent();
        var second = transport.ActorPool.Rent();

        Assert.True(transport.Writer.TryWrite(first));
        Assert.False(transport.Writer.TryWrite(second));

        // The refused segment is still rented; the written one went straight back once encoded.
        Assert.Equal(1, transport.ActorPool.Statistics.Outstanding);
        Assert.Equal(1, transport.Statistics.SegmentsEncoded);
    }

    [Fact]
    public void TryInject_LongerThanAnySegment_ThrowsNamingTheLength()
    {
        var transport = Transport(weightCount: 3);
        var tooLong = new byte[transport.SegmentCodec.MaxEncodedLength + 1];

        var error = Assert.Throws<ArgumentException>(() => transport.TryInject(tooLong));

        Assert.Contains($"{tooLong.Length} bytes", error.Message);
    }

    private static LoopbackWireTransport<float, int> Transport(int weightCount) =>
        new(RunId.NewUnique(), _layout, weightCount, new SegmentChannelOptions { Capacity = 8 }, 8, discreteActionCount: 2);

    /// <summary>Two CartPole actors and an APPO learner, each host on its own side of a loopback wire transport.</summary>
    private sealed class CartPoleRig : IDisposable
    {
        private static readonly AppoOptions _options = new() { LearningRate = 1e-3, NumMinibatches = 2, UpdateEpochs = 4 };
        private readonly List<SyncVectorEnv<float, int>> _envs = [];

        public CartPoleRig(long budget, double target)
        {
            Callbacks = new SolvedCallbacks(target);
            var learner = new AppoLearner<float, int>(Model(1), _options, new LearnerShape(Actors * EnvsPerActor, Steps, budget), new RandomSource(2));
            var actors = Enumerable.Range(0, Actors).Select(k => Actor(k)).ToArray();
            Transport = new LoopbackWireTransport<float, int>(
                RunId.NewUnique(),
                _layout,
                learner.Snapshot().WeightCount,
                new SegmentChannelOptions { Capacity = 8, WhenFull = QueueFullMode.Wait },
                Actors + 8 + SegmentsPerUpdate + 2,
                discreteActionCount: 2);
            ActorHost = new ActorHost<float, int>(
                actors, rebuild: null, Transport.ActorPool, Transport.Writer, Transport.Policies, new ActorHostOptions { StepsPerSegment = Steps, TotalSteps = budget, PrioritizeActors = false });
            LearnerHost = new LearnerHost<float, int>(
                learner, Transport.LearnerPool, Transport.Reader, Transport.Publisher, Callbacks, new LearnerHostOptions { SegmentsPerUpdate = SegmentsPerUpdate, LowerPriority = false });
        }

        public LoopbackWireTransport<float, int> Transport { get; }

        public ActorHost<float, int> ActorHost { get; }

        public LearnerHost<float, int> LearnerHost { get; }

        public SolvedCallbacks Callbacks { get; }

        /// <summary>Runs both hosts until the budget or the target; then stops the actors and drains what they left.</summary>
        public void Run()
        {
            LearnerHost.PublishCurrentPolicy();
            ActorHost.Start(Callbacks.Solved);
            try
            {
                LearnerHost.Run(Callbacks.Solved);
            }
            finally
            {
                ActorHost.Stop();
                LearnerHost.DiscardRemaining();
            }
        }

        public void Dispose()
        {
            foreach (var envs in _envs)
            {
                envs.Dispose();
            }

            Callbacks.Dispose();
        }

        private static CategoricalMlpActorCritic Model(int seed) => new(4, 2, [64, 64], new Random(seed));

        private Actor<float, int> Actor(int id)
        {
            var registry = EnvRegistry.CreateDefault();
            var envs = new IEnv<float, int>[EnvsPerActor];
            for (var i = 0; i < envs.Length; i++)
            {
                envs[i] = new RecordEpisodeStatistics<float, int>(registry.Make<float, int>("CartPole-v1"));
            }

            var vector = new SyncVectorEnv<float, int>(envs);
            _envs.Add(vector);
            var actor = new Actor<float, int>(new ActorId(id), vector, Model(10 + id));
            actor.Start(100 * id);
            return actor;
        }
    }

    /// <summary>Records episode returns (delivered by the learner host from decoded segments) and cancels once the last-20 mean reaches the target.</summary>
    private sealed class SolvedCallbacks(double target) : ITrainingCallbacks, IDisposable
    {
        private readonly Queue<double> _last = new();
        private readonly CancellationTokenSource _solved = new();
        private double _sum;

        public CancellationToken Solved => _solved.Token;

        public double BestMean { get; private set; } = double.NegativeInfinity;

        public long? SolvedAtStep { get; private set; }

        public void OnEpisodeEnded(in EpisodeEnded episode)
        {
            _last.Enqueue(episode.Statistics.Return);
            _sum += episode.Statistics.Return;
            if (_last.Count > 20)
            {
                _sum -= _last.Dequeue();
            }

            if (_last.Count < 20)
            {
                return;
            }

            BestMean = Math.Max(BestMean, _sum / 20);
            if (BestMean >= target && SolvedAtStep is null)
            {
                SolvedAtStep = episode.Step;
                _solved.Cancel();
            }
        }

        public void Dispose() => _solved.Dispose();
    }

    /// <summary>A policy that only keeps what it loads.</summary>
    private sealed class LoadRecordingPolicy(int weightCount) : IPolicy<float, int>
    {
        public float[] Weights { get; } = new float[weightCount];

        public PolicyVersion Version { get; private set; }

        public void Act(ReadOnlySpan<float> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values) =>
            throw new NotSupportedException("Only loading is under test.");

        public void EstimateValues(ReadOnlySpan<float> observations, int batch, Span<float> values) =>
            throw new NotSupportedException("Only loading is under test.");

        public void Load(PolicySnapshot snapshot)
        {
            snapshot.Weights.CopyTo(Weights);
            Version = snapshot.Version;
        }
    }
}
