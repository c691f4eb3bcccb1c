using System.Net;
using System.Net.Sockets;

namespace Tempo.Cli.Tests.Commands;

/// <summary><c>tempo dashboard</c>'s refusals: each one error line naming the flag and its value, before anything listens.</summary>
public sealed class DashboardCommandTests
{
    [Fact]
    public void Dashboard_NonLoopbackBindWithoutAllowRemote_IsOneErrorLine()
    {
        var run = CliRun.Of("dashboard", "--run-dir", "runs/x", "--bind", "0.0.0.0");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --bind 0.0.0.0: other machines could reach the dashboard at this address; add --allow-remote to mean it (and set a --token).", run.Error.Trim());
    }

    [Fact]
    public void Dashboard_NothingToShowOrABadAddress_IsOneErrorLine()
    {
        var nothing = CliRun.Of("dashboard");
        Assert.Equal(2, nothing.ExitCode);
        Assert.StartsWith("error: nothing to show", nothing.Error, StringComparison.Ordinal);

        var address = CliRun.Of("dashboard", "--run-dir", "runs/x", "--bind", "localhost:80");
        Assert.Equal(2, address.ExitCode);
        Assert.StartsWith("error: --bind localhost:80: not an IP address", address.Error, StringComparison.Ordinal);

        var fleet = CliRun.Of("dashboard", "--redis", "redis://127.0.0.1:6379");
        Assert.Equal(2, fleet.ExitCode);
        Assert.StartsWith("error: --redis: a fleet also needs --run NAME.", fleet.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_APortInUse_IsOneErrorLineNamingIt()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = CliRun.Of("dashboard", "--run-dir", "runs/x", "--port", $"{port}");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: Cannot listen on 127.0.0.1:{port}", run.Error, StringComparison.Ordinal);
    }
}
