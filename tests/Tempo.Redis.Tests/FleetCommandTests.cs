using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tempo.Redis.Tests;

/// <summary>The fleet commands' refusals: one line naming the problem, exit code 2, never a stack trace.</summary>
[Collection(FleetProcesses.Collection)]
public sealed class FleetCommandTests
{
    [SkippableFact]
    public void AnActorWithoutAPublishedRunSaysWhatToStartFirst()
    {
        using var server = RedisServer.Start();
        using var actor = new TempoProcess("actor", "--redis", server.UrlText, "--run", "nobody", "--wait", "0");
        Assert.Equal(2, actor.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("error: No learner has published run nobody", actor.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", actor.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadRedisUrlIsOneLine()
    {
        using var status = new TempoProcess("status", "--redis", "http://host", "--run", "x");
        Assert.Equal(2, status.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("error: --redis must look like redis://", status.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectWaitSetsHowLongAFleetCommandWaitsForRedis()
    {
        // A port nobody listens on: every attempt is refused, so the command waits exactly its connect wait and then says so.
        var closedPort = ClosedLoopbackPort();
        var started = Stopwatch.StartNew();
        var url = string.Create(CultureInfo.InvariantCulture, $"redis://127.0.0.1:{closedPort}");
        using var status = new TempoProcess("status", "--redis", url, "--run", "x", "--connect-wait", "1");
        Assert.Equal(2, status.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains($"error: Cannot reach Redis at {url}", status.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", status.Output, StringComparison.Ordinal);

        // With the default (30 s) it could not have ended before 30 s; with 1 s it ends after the process's start (1–3 s
        // on a loaded 2-core machine, 10 s seen at load 30+) and the second, well inside that.
        var defaultWait = new RedisFleetOptions().ConnectWait;
        Assert.True(started.Elapsed < defaultWait, $"--connect-wait 1 took {started.Elapsed.TotalSeconds:F1} s, not less than the default {defaultWait.TotalSeconds} s");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1e9")]
    public void ABadConnectWaitIsOneLine(string seconds)
    {
        using var status = new TempoProcess("status", "--redis", "redis://127.0.0.1:1", "--run", "x", $"--connect-wait={seconds}");
        Assert.Equal(2, status.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("error: --connect-wait must be a positive number of seconds, at most 86400 (a day); got ", status.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", status.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void ALearnerOnTheSyncScheduleIsRefused()
    {
        using var server = RedisServer.Start();
        using var learner = new TempoProcess("learner", "--redis", server.UrlText, "--run", "sync", "--env", "CartPole-v1", "--algo", "ppo", "--schedule", "sync");
        Assert.Equal(2, learner.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("error: ", learner.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", learner.Output, StringComparison.Ordinal);
    }

    private static int ClosedLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
