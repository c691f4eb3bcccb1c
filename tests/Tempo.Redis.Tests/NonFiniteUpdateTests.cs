using System.Globalization;
using StackExchange.Redis;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Redis.Streams;
using Tempo.Runtime.Transport.Wire;
using Xunit.Abstractions;
using static Tempo.Redis.Tests.FleetProcesses;

namespace Tempo.Redis.Tests;

/// <summary>A real learner update that produces NaN: the learner process refuses to publish it and says so, and the fleet's actors keep acting with the last good policy.</summary>
[Collection(FleetProcesses.Collection)]
public sealed class NonFiniteUpdateTests(ITestOutputHelper log)
{
    private static readonly string[] _runFlags = ["--env", "LiveCartPole-v1", "--num-envs", "2", "--num-steps", "16", "--num-minibatches", "1", "--total-timesteps", "10000000", "--plain"];

    [SkippableFact]
    public void APoisonedSegmentDrivesARealUpdateToNaNWhichIsNeverPublished()
    {
        using var server = RedisServer.Start();
        using var fleet = RedisFleet.Connect(server.Url, "poison");
        using var runDir = new TempDirectory();
        using var learner = new TempoProcess([.. Fleet(server, "poison", "learner"), .. _runFlags, "--run-dir", runDir.Path]);
        using var actor = new TempoProcess([.. Fleet(server, "poison", "actor"), "--actor-id", "0"]);
        Require(() => Learner(fleet)?.Updates >= 3 && Member(fleet, "actor-0")?.PolicyVersion >= 1, 90, "learner and actor running", learner, actor);

        // A segment the protocol accepts (right run, shape and ranges; rewards finite) whose rewards are near float's
        // largest: the V-trace targets of two steps already overflow to infinity, and the update's gradients turn NaN.
        var database = fleet.Connection.Database;
        var description = RunDescription.Parse((string)database.StringGet(fleet.Connection.Keys.Description)!, "poison");
        var run = description.RunId;
        var layout = new SegmentLayout(16, 2, 4, 1);
        var codec = new SegmentCodec<float, int>(run, layout, discreteActionCount: 2);
        var segment = new Segment<float, int>(layout)
        {
            Actor = new ActorId(99),
            BehaviourVersion = new PolicyVersion(Learner(fleet)!.PolicyVersion),
            ActorSteps = layout.Transitions,
        };
        segment.Observations.Fill(0.01f);
        segment.BootstrapObservations.Fill(0.01f);
        segment.Rewards.Fill(float.MaxValue / 2);
        segment.BehaviourLogProbs.Fill(-0.69f);
        var bytes = new byte[codec.MaxEncodedLength];
        var length = codec.Encode(segment, bytes);
        database.StreamAdd(fleet.Connection.Keys.Segments, [new NameValueEntry(EntryFields.Incarnation, 1), new NameValueEntry(EntryFields.Sequence, 0), new NameValueEntry(EntryFields.Segment, bytes.AsMemory(0, length))]);

        // The learner stops at the NaN snapshot with one line saying so, and leaves the run open for a resumed learner.
        Assert.Equal(2, learner.WaitForExit(TimeSpan.FromSeconds(60)));
        log.WriteLine(learner.Output);
        Assert.Contains("produced a NaN or infinite weight; it was not published and actors keep policy", learner.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", learner.Output, StringComparison.Ordinal);
        Assert.False(database.KeyExists(fleet.Connection.Keys.Finished));

        // What is in Redis is the last good policy, all finite, and the actor acts on with it.
        var stored = new PolicySnapshot(description.WeightCount);
        new PolicySnapshotCodec(run, stored.WeightCount).Decode((byte[])database.StringGet(fleet.Connection.Keys.Policy)!, stored);
        Assert.All(stored.Weights.ToArray(), w => Assert.True(float.IsFinite(w)));
        var kept = long.Parse(learner.Output.Split("actors keep policy v")[1].Split('.')[0], CultureInfo.InvariantCulture);
        Assert.Equal(kept, stored.Version.Value);
        var atStop = Member(fleet, "actor-0")!;
        Require(() => Member(fleet, "actor-0")!.Steps >= atStop.Steps + 200, 20, "the actor acts on", actor);
        var now = Member(fleet, "actor-0")!;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stored policy {stored.Version.Value}; actor on {now.PolicyVersion} after {now.Steps - atStop.Steps} more steps"));
        Assert.Equal(stored.Version.Value, now.PolicyVersion);
    }

}
