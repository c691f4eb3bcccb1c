using System.Globalization;
using Xunit.Abstractions;
using static Tempo.Redis.Tests.FleetProcesses;

namespace Tempo.Redis.Tests;

/// <summary>Every algorithm the async schedule trains runs over a fleet: the actor process builds the run's own policy (an ε-greedy Q-network for DQN), not an actor-critic.</summary>
[Collection(FleetProcesses.Collection)]
public sealed class FleetAlgorithmTests(ITestOutputHelper log)
{
    [Fact]
    public void LearnerHelpNamesEveryAlgorithm()
    {
        using var help = new TempoProcess("learner", "--help");
        Assert.Equal(0, help.WaitForExit(TimeSpan.FromSeconds(60)));
        foreach (var name in new[] { "ppo", "appo", "impala", "dqn", "sac" })
        {
            Assert.Contains(name, help.Output, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public void ADqnLearnerWithTwoActorProcessesFillsItsReplayAndAdvancesItsPolicy()
    {
        using var server = RedisServer.Start();
        using var fleet = RedisFleet.Connect(server.Url, "dqn");
        using var runDir = new TempDirectory();

        // dqn.py's CartPole settings on the live CartPole at 50 Hz (100 steps/s from the two actors), learning from step
        // 1,000 instead of 10,000, so the test sees gradient steps within seconds.
        using var learner = new TempoProcess([.. Fleet(server, "dqn", "learner"), "--algo", "dqn", "--env", "LiveCartPole-v1", "--learning-starts", "1000", "--total-timesteps", "10000000", "--plain", "--run-dir", runDir.Path]);
        using var actorA = new TempoProcess([.. Fleet(server, "dqn", "actor"), "--actor-id", "0"]);
        using var actorB = new TempoProcess([.. Fleet(server, "dqn", "actor"), "--actor-id", "1"]);

        // The replay holds more than learning-starts transitions once the learner has counted them and trained on them.
        Require(() => Learner(fleet) is { Steps: > 1000, Updates: > 0 }, 90, "the learner fills its replay and trains", learner, actorA, actorB);
        var first = Learner(fleet)!;
        Require(() => Learner(fleet)!.PolicyVersion >= first.PolicyVersion + 20, 60, "the policy version advances", learner, actorA, actorB);
        Require(() => Member(fleet, "actor-0") is { PolicyVersion: > 0 } && Member(fleet, "actor-1") is { PolicyVersion: > 0 }, 30, "both actors act with a trained snapshot", actorA, actorB);

        var status = Learner(fleet)!;
        var actors = new[] { Member(fleet, "actor-0")!, Member(fleet, "actor-1")! };
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"learner: steps {status.Steps}, updates {status.Updates}, version {status.PolicyVersion}, received {status.SegmentsReceived}, rejected {status.SegmentsRejected}; actors' versions {actors[0].PolicyVersion}/{actors[1].PolicyVersion}, lags {actors[0].PolicyLag}/{actors[1].PolicyLag}"));
        Assert.Equal(0, status.SegmentsRejected);
        Assert.Equal(0, status.SegmentsDuplicate);

        // An actor takes the newest snapshot at each segment boundary (10 steps, 0.2 s at 50 Hz), fetched by a background
        // task on each announcement. The learner publishes one version per segment (a gradient step every 10 steps), so
        // the two actors' segments make ~10 versions a second: an actor is a few versions behind, never the hundreds a
        // policy stuck on its first snapshot would show.
        foreach (var actor in actors)
        {
            Assert.InRange(actor.PolicyLag, 0, 20);
        }

        Assert.False(learner.HasExited, learner.Output);
    }

    [SkippableFact]
    public void SimulatorActorsWaitAtTheBacklogBoundAndTheLearnerDropsAndCountsStaleSegments()
    {
        // Two CartPole-v1 simulators outrun an APPO learner by far; with max-policy-lag 1 most of what waits in the stream
        // is stale by the time the learner reads it. "By far" is made true by construction, not left to the machine's
        // load: the simulators send thousands of segments a second (about 7,000 here), and stale ones are read and
        // dropped in microseconds, so with CartPole's usual tiny update a quiet learner keeps the backlog under the
        // bound. Two 1024-wide layers trained for 40 epochs per update (forward and backward of actor and critic, about
        // 13 MFLOP a transition: 0.4 GFLOP a pass over the 32 transitions, 16 GFLOP an update, some 100 ms at 150 GFLOP/s)
        // leave the stream unread for long enough that 7,000 segments a second reach the bound of 256 within every update.
        var options = new RedisFleetOptions();
        using var server = RedisServer.Start();
        using var fleet = RedisFleet.Connect(server.Url, "simulators");
        using var runDir = new TempDirectory();
        using var learner = new TempoProcess([.. Fleet(server, "simulators", "learner"), "--algo", "appo", "--env", "CartPole-v1", "--num-envs", "2", "--num-steps", "16", "--num-minibatches", "1", "--max-policy-lag", "1", "--hidden-sizes", "1024", "1024", "--update-epochs", "40", "--total-timesteps", "10000000", "--plain", "--run-dir", runDir.Path]);
        using var actorA = new TempoProcess([.. Fleet(server, "simulators", "actor"), "--actor-id", "0"]);
        using var actorB = new TempoProcess([.. Fleet(server, "simulators", "actor"), "--actor-id", "1"]);
        Require(() => Learner(fleet) is { Updates: >= 5 } && Member(fleet, "actor-1") is { SegmentsSent: > 0 }, 90, "learner and both actors running", learner, actorA, actorB);

        // The learner group's lag, sampled for 10 s: it reaches the bound (the simulators wait there) and never passes it
        // by more than one backlog check per process.
        var database = fleet.Connection.Database;
        long worst = 0;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < until)
        {
            var group = database.StreamGroupInfo(fleet.Connection.Keys.Segments).Single(g => g.Name == FleetKeys.Group);
            worst = Math.Max(worst, group.Lag ?? 0);
            Thread.Sleep(10);
        }

        var status = Learner(fleet)!;
        var length = database.StreamLength(fleet.Connection.Keys.Segments);
        var lastDelivered = database.StreamGroupInfo(fleet.Connection.Keys.Segments).Single(g => g.Name == FleetKeys.Group).LastDeliveredId;
        var first = database.StreamInfo(fleet.Connection.Keys.Segments).FirstEntry.Id;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst backlog {worst} (bound {options.SimulatorBacklog} + {options.BacklogCheckEvery} per process); stream length {length}; learner received {status.SegmentsReceived}, stale {status.SegmentsStale}, updates {status.Updates}"));
        Assert.InRange(worst, options.SimulatorBacklog / 2, options.SimulatorBacklog + (2 * options.BacklogCheckEvery));
        Assert.True(status.SegmentsStale > 0, "stale segments are dropped and counted");
        Assert.Equal(0, status.SegmentsRejected);

        // Nothing was trimmed unread: the cap trims from the head, and the oldest entry left was delivered already.
        Assert.True(StreamId(first).CompareTo(StreamId(lastDelivered)) <= 0, $"stream length {length}: first entry {first}, last delivered {lastDelivered}");
        Assert.False(learner.HasExited, learner.Output);
    }

    private static ValueTuple<long, long> StreamId(StackExchange.Redis.RedisValue id)
    {
        var parts = ((string)id!).Split('-');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
