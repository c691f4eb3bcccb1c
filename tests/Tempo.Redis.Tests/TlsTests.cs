using static Tempo.Redis.Tests.FleetProcesses;

namespace Tempo.Redis.Tests;

/// <summary>A fleet over TLS against a real redis-server that speaks only TLS, with a certificate authority of the test's own.</summary>
[Collection(FleetProcesses.Collection)]
public sealed class TlsTests
{
    [SkippableFact]
    public void ALearnerAndAnActorTrainOverTlsAndAnUntrustedServerIsOneLine()
    {
        using var tls = TlsFiles.Create();
        using var server = RedisServer.StartTls(tls);
        Assert.StartsWith("rediss://", server.UrlText, StringComparison.Ordinal);
        using var fleet = RedisFleet.Connect(server.Url, "tls", new RedisFleetOptions { TlsCaFile = tls.Authority });
        using var runDir = new TempDirectory();
        string[] trust = ["--redis-ca", tls.Authority];
        using var learner = new TempoProcess([.. Fleet(server, "tls", "learner"), .. trust, "--env", "LiveCartPole-v1", "--num-envs", "2", "--num-steps", "16", "--num-minibatches", "1", "--total-timesteps", "10000000", "--plain", "--run-dir", runDir.Path]);
        using var actor = new TempoProcess([.. Fleet(server, "tls", "actor"), .. trust, "--actor-id", "0"]);
        Require(() => Learner(fleet) is { SegmentsReceived: >= 3, Updates: >= 1 } && Member(fleet, "actor-0") is { PolicyVersion: >= 1 }, 90, "learner and actor train over TLS", learner, actor);
        Assert.Equal(0, Learner(fleet)!.SegmentsRejected);

        // Without the authority the system does not trust the server's certificate: one line, no trace. Every attempt is
        // refused however long it waits, so a short wait only spares the suite the default's.
        using var untrusted = new TempoProcess("status", "--redis", server.UrlText, "--run", "tls", "--connect-wait", "2");
        Assert.Equal(2, untrusted.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("error: Cannot reach Redis at rediss://127.0.0.1", untrusted.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", untrusted.Output, StringComparison.Ordinal);
    }
}
