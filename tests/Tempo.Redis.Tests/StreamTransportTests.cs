using StackExchange.Redis;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Redis.Streams;
using Tempo.Redis.Transport;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Redis.Tests;

/// <summary>Both ends of the stream transport against a real redis-server, in one process: what arrives, what is rejected, what stays pending.</summary>
public sealed class StreamTransportTests
{
    private static readonly TimeSpan _read = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public void SegmentsArriveDecodedAndAreAcknowledgedOnlyAfterUse()
    {
        using var server = RedisServer.Start();
        using var fleet = RedisFleet.Connect(server.Url, "roundtrip");
        var settings = FleetFixture.Settings();
        var shape = FleetFixture.Shape(settings);
        using var learner = (RedisLearnerTransport<float, int>)fleet.LearnerTransport(settings).OpenLearner<float, int>(shape);
        using var actors = (RedisActorTransport<float, int>)fleet.ActorTransport().OpenActors<float, int>(shape, 1);
        var actor = actors.ActorIds[0];

        for (var k = 0; k < 3; k++)
        {
            var segment = actors.Pool.Rent();
            FleetFixture.Fill(segment, actor, (k + 1) * 16, tag: k);
            Assert.True(actors.Writer.TryWrite(segment));
        }

        for (var k = 0; k < 3; k++)
        {
            Assert.True(learner.Reader.TryRead(out var got, _read));
            var expected = new Segment<float, int>(shape.Layout);
            FleetFixture.Fill(expected, actor, (k + 1) * 16, tag: k);
            Assert.Equal(expected.Observations.ToArray(), got.Observations.ToArray());
            Assert.Equal(expected.Actions.ToArray(), got.Actions.ToArray());

            // Steps are re-based at the first segment this learner sees from an actor incarnation.
            Assert.Equal((k + 1) * 16, got.ActorSteps);
            learner.Pool.Return(got);
        }

        // Read but not yet used: pending. Used (after an update): acknowledged.
        var database = fleet.Connection.Database;
        Assert.Equal(3, database.StreamPending(fleet.Connection.Keys.Segments, FleetKeys.Group).PendingMessageCount);
        learner.StreamReader.AcknowledgeUsed();
        Assert.True(FleetFixture.WaitUntil(() => database.StreamPending(fleet.Connection.Keys.Segments, FleetKeys.Group).PendingMessageCount == 0, 5));
    }

    [SkippableFact]
    public void GarbageTruncatedOversizedForeignMalformedAndDuplicateEntriesAreRejectedCountedAndAcknowledged()
    {
        using var server = RedisServer.Start();
        using var fleet = RedisFleet.Connect(server.Url, "garbage");
        var settings = FleetFixture.Settings();
        var shape = FleetFixture.Shape(settings);
        using var learner = (RedisLearnerTransport<float, int>)fleet.LearnerTransport(settings).OpenLearner<float, int>(shape);
        var reader = learner.StreamReader;
        var database = fleet.Connection.Database;
        var stream = fleet.Connection.Keys.Segments;

        // A valid message of this run, and one of another run with the same layout.
        var codec = learner.SegmentCodec;
        var foreign = new SegmentCodec<float, int>(RunId.NewUnique(), shape.Layout);
        var segment = new Segment<float, int>(shape.Layout);
        FleetFixture.Fill(segment, new ActorId(7), 16, tag: 1);
        var valid = new byte[codec.MaxEncodedLength];
        var validLength = codec.Encode(segment, valid);
        var other = new byte[foreign.MaxEncodedLength];
        var otherLength = foreign.Encode(segment, other);

        void Add(RedisValue incarnation, RedisValue sequence, RedisValue bytes) =>
            database.StreamAdd(stream, [new NameValueEntry(EntryFields.Incarnation, incarnation), new NameValueEntry(EntryFields.Sequence, sequence), new NameValueEntry(EntryFields.Segment, bytes)]);

        Add(1, 0, new byte[] { 1, 2, 3, 4, 5 });                                   // garbage
        Add(1, 1, valid.AsSpan(0, validLength / 2).ToArray());                      // truncated
        Add(1, 2, new byte[codec.MaxEncodedLength + 1]);                            // oversized
        Add(1, 3, other.AsSpan(0, otherLength).ToArray());                          // another run
        Add("x", 4, valid.AsSpan(0, validLength).ToArray());                        // malformed incarnation
        database.StreamAdd(stream, [new NameValueEntry(EntryFields.Incarnation, 1)]); // no segment at all
        Add(1, 5, valid.AsSpan(0, validLength).ToArray());                          // valid
        Add(1, 5, valid.AsSpan(0, validLength).ToArray());                          // redelivered duplicate
        Add(1, 6, valid.AsSpan(0, validLength).ToArray());                          // valid again

        Assert.True(reader.TryRead(out var first, _read));
        Assert.True(reader.TryRead(out var second, _read));
        learner.Pool.Return(first);
        learner.Pool.Return(second);
        Assert.False(reader.TryRead(out _, TimeSpan.FromMilliseconds(300)));
        reader.AcknowledgeUsed();

        Assert.Equal(2, reader.Rejected(EntryRejection.Malformed));
        Assert.Equal(1, reader.Rejected(EntryRejection.Oversized));
        Assert.Equal(3, reader.Rejected(EntryRejection.Undecodable));
        Assert.Equal(1, reader.Rejected(EntryRejection.Duplicate));
        Assert.Equal(1, codec.Rejected(SegmentRejection.ForeignRun));
        Assert.Equal(2, reader.Accepted);

        // Nothing is left pending: a restarted learner will not see these again.
        Assert.True(FleetFixture.WaitUntil(() => database.StreamPending(stream, FleetKeys.Group).PendingMessageCount == 0, 5));
    }

    [SkippableFact]
    public void ARestartedLearnerReadsWhatItsPredecessorReadButNeverUsed()
    {
        using var server = RedisServer.Start();
        var settings = FleetFixture.Settings();
        var shape = FleetFixture.Shape(settings);
        using var actorFleet = RedisFleet.Connect(server.Url, "restart");
        using (var fleet = RedisFleet.Connect(server.Url, "restart"))
        {
            using var first = (RedisLearnerTransport<float, int>)fleet.LearnerTransport(settings).OpenLearner<float, int>(shape);
            using var actors = actorFleet.ActorTransport().OpenActors<float, int>(shape, 1);
            for (var k = 0; k < 4; k++)
            {
                var segment = actors.Pool.Rent();
                FleetFixture.Fill(segment, actors.ActorIds[0], (k + 1) * 16, tag: k);
                actors.Writer.TryWrite(segment);
            }

            // One is used (trained on), three are read but the learner dies before its next update.
            Assert.True(first.Reader.TryRead(out var used, _read));
            first.Pool.Return(used);
            first.StreamReader.AcknowledgeUsed();
            for (var k = 0; k < 3; k++)
            {
                Assert.True(first.Reader.TryRead(out var unused, _read));
                first.Pool.Return(unused);
            }
        }

        using var again = RedisFleet.Connect(server.Url, "restart");
        using var second = (RedisLearnerTransport<float, int>)again.LearnerTransport(settings with { ResumeFrom = "resumed" }).OpenLearner<float, int>(shape);
        var tags = new List<float>();
        while (second.Reader.TryRead(out var segment, TimeSpan.FromSeconds(2)))
        {
            tags.Add(segment.BehaviourValues[0]);
            second.Pool.Return(segment);
        }

        Assert.Equal([1f, 2f, 3f], tags);
    }

    [SkippableFact]
    public void AFreshLearnerIsRefusedOnALiveRunOfTheSameName()
    {
        using var server = RedisServer.Start();
        using var fleet = RedisFleet.Connect(server.Url, "taken");
        var settings = FleetFixture.Settings();
        var shape = FleetFixture.Shape(settings);
        // While its learner lives, the run's lock refuses a second one, naming the holder.
        using (var first = fleet.LearnerTransport(settings).OpenLearner<float, int>(shape))
        {
            var live = Assert.Throws<ArgumentException>(() => fleet.LearnerTransport(settings).OpenLearner<float, int>(shape));
            Assert.Contains($"Run taken already has a learner, {Environment.MachineName} pid {Environment.ProcessId}", live.Message, StringComparison.Ordinal);
        }

        // Once it stopped without finishing the run, a fresh learner is refused too: the run goes on only with --resume.
        var error = Assert.Throws<ArgumentException>(() => fleet.LearnerTransport(settings).OpenLearner<float, int>(shape));
        Assert.Contains("--resume", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void AnActorOfAnotherShapeIsRefusedWithTheDifference()
    {
        using var server = RedisServer.Start();
        using var fleet = RedisFleet.Connect(server.Url, "shape");
        var settings = FleetFixture.Settings();
        var shape = FleetFixture.Shape(settings);
        using var learner = fleet.LearnerTransport(settings).OpenLearner<float, int>(shape);
        var error = Assert.Throws<ArgumentException>(() => fleet.ActorTransport().OpenActors<float, int>(shape with { Layout = shape.Layout with { Steps = 9 } }, 1));
        Assert.Contains("segment layout", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void ASnapshotWithNaNIsNeverPublishedAndActorsKeepTheLastGoodOne()
    {
        using var server = RedisServer.Start();
        using var fleet = RedisFleet.Connect(server.Url, "nan");
        var settings = FleetFixture.Settings();
        var shape = FleetFixture.Shape(settings);
        using var learner = (RedisLearnerTransport<float, int>)fleet.LearnerTransport(settings).OpenLearner<float, int>(shape);
        using var actors = fleet.ActorTransport().OpenActors<float, int>(shape, 1);

        var good = new PolicySnapshot(shape.WeightCount);
        good.Weights.Fill(0.25f);
        good.CopyFrom(new PolicyVersion(1), good.Weights);
        learner.Publisher.Publish(good);
        var bad = new PolicySnapshot(shape.WeightCount);
        bad.CopyFrom(new PolicyVersion(2), good.Weights);
        bad.Weights[17] = float.NaN;
        Assert.Throws<ArgumentException>(() => learner.Publisher.Publish(bad));
        Assert.Equal(1, learner.SnapshotPublisher.NonFinite);

        // What actors get is the last good snapshot, whatever they poll.
        Assert.True(FleetFixture.WaitUntil(() => actors.Policies.LatestVersion is not null, 5));
        Thread.Sleep(300);
        Assert.Equal(new PolicyVersion(1), actors.Policies.LatestVersion);
        var stored = new PolicySnapshot(shape.WeightCount);
        new PolicySnapshotCodec(RunDescription.Parse((string)fleet.Connection.Database.StringGet(fleet.Connection.Keys.Description)!, "nan").RunId, shape.WeightCount)
            .Decode((byte[])fleet.Connection.Database.StringGet(fleet.Connection.Keys.Policy)!, stored);
        Assert.Equal(1, stored.Version.Value);
    }

    [SkippableFact]
    public void WhileRedisIsDownActorsBufferUpToTheBoundAndTheRestArriveAfterRestart()
    {
        using var server = RedisServer.Start();
        const int Capacity = 8;
        var options = new RedisFleetOptions { OutboxCapacity = Capacity };
        using var fleet = RedisFleet.Connect(server.Url, "outage", options);
        var settings = FleetFixture.Settings();
        var shape = FleetFixture.Shape(settings);
        using var learner = (RedisLearnerTransport<float, int>)fleet.LearnerTransport(settings).OpenLearner<float, int>(shape);
        using var actorFleet = RedisFleet.Connect(server.Url, "outage", options);
        using var actors = (RedisActorTransport<float, int>)actorFleet.ActorTransport().OpenActors<float, int>(shape, 1);
        var writer = actors.SegmentWriter;

        server.Kill();
        Assert.True(FleetFixture.WaitUntil(() => !actorFleet.Connection.Multiplexer.IsConnected, 10));

        // Twenty segments while Redis is away: writing never blocks; the outbox keeps the newest `Capacity` (+1 held by the sender).
        const int Written = 20;
        var started = DateTime.UtcNow;
        for (var k = 0; k < Written; k++)
        {
            var segment = actors.Pool.Rent();
            FleetFixture.Fill(segment, actors.ActorIds[0], (k + 1) * 16, tag: k);
            Assert.True(writer.TryWrite(segment));
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1), "writing must not wait for Redis");
        server.Start();

        // The learner's reader and the sender reconnect; a server without persistence lost the group, which the reader recreates.
        Assert.True(FleetFixture.WaitUntil(() => writer.Sent + writer.Dropped == Written && writer.Buffered == 0, 30), $"sent {writer.Sent} dropped {writer.Dropped} buffered {writer.Buffered}");
        var received = 0;
        while (learner.Reader.TryRead(out var segment, TimeSpan.FromSeconds(3)))
        {
            received++;
            learner.Pool.Return(segment);
        }

        Assert.InRange(writer.Dropped, Written - Capacity - 1, Written - Capacity);
        Assert.Equal(writer.Sent, received);
        Assert.True(actorFleet.Reconnects >= 1);
    }
}
