using System.Globalization;
using Xunit.Abstractions;
using static Tempo.Redis.Tests.FleetProcesses;

namespace Tempo.Redis.Tests;

/// <summary>One learner per run: a second is refused naming the holder; a holder killed by <c>kill -9</c> frees the run within the lock's TTL, and a resumed learner takes it over.</summary>
[Collection(FleetProcesses.Collection)]
public sealed class LearnerLockTests(ITestOutputHelper log)
{
    private static readonly string[] _runFlags = ["--env", "LiveCartPole-v1", "--num-envs", "2", "--num-steps", "16", "--num-minibatches", "1", "--total-timesteps", "10000000", "--plain", "--checkpoint-every", "5"];

    [SkippableFact]
    public void ASecondLearnerIsRefusedAndAKilledLearnersLockLapsesWithinItsTtl()
    {
        var ttl = new RedisFleetOptions().LearnerLockTtl;
        using var server = RedisServer.Start();
        using var fleet = RedisFleet.Connect(server.Url, "lock");
        using var runDir = new TempDirectory();
        using var otherDir = new TempDirectory();
        var database = fleet.Connection.Database;
        var key = fleet.Connection.Keys.LearnerLock;
        using var first = new TempoProcess([.. Fleet(server, "lock", "learner"), .. _runFlags, "--run-dir", runDir.Path]);
        using var actor = new TempoProcess([.. Fleet(server, "lock", "actor"), "--actor-id", "0"]);
        Require(() => Learner(fleet)?.Updates >= 6 && File.Exists(Path.Combine(runDir.Path, "checkpoint.tempo")), 90, "the first learner trains and checkpoints", first, actor);
        var holder = (string?)database.StringGet(key);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"pid {first.Id} "), holder, StringComparison.Ordinal);

        // A second learner on the same run sees the holder renew its lock and refuses at once, naming it.
        using (var second = new TempoProcess([.. Fleet(server, "lock", "learner"), .. _runFlags, "--run-dir", otherDir.Path]))
        {
            Assert.Equal(2, second.WaitForExit(TimeSpan.FromSeconds(90)));
            log.WriteLine(second.Output);
            Assert.Contains($"error: Run lock already has a learner, {holder}", second.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", second.Output, StringComparison.Ordinal);
        }

        Assert.False(first.HasExited, first.Output);
        Assert.Equal(holder, (string?)database.StringGet(key));

        // kill -9 runs no handler: the key stays, with at most one TTL left, and nobody renews it.
        first.Kill9();
        var killedAt = DateTime.UtcNow;
        var left = database.KeyTimeToLive(key);
        Assert.NotNull(left);
        Assert.InRange(left.Value, TimeSpan.Zero, ttl);
        Assert.True(FleetFixture.WaitUntil(() => !database.KeyExists(key), (ttl + TimeSpan.FromSeconds(1)).TotalSeconds), "the dead learner's lock outlived its TTL");
        var lapsed = DateTime.UtcNow - killedAt;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lock TTL {ttl.TotalSeconds} s; left at the kill {left.Value.TotalSeconds:F1} s; lapsed {lapsed.TotalSeconds:F1} s after the kill"));

        // A learner resumed from the checkpoint takes the run over and trains on.
        using var resumed = new TempoProcess([.. Fleet(server, "lock", "learner"), "--resume", runDir.Path, "--plain"]);
        Require(() => Learner(fleet) is { Incarnation: 2, Updates: >= 2 }, 90, "the resumed learner takes the run over", resumed, actor);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"pid {resumed.Id} "), (string?)database.StringGet(key), StringComparison.Ordinal);
    }
}
