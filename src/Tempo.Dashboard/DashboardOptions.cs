using System.Net;
using Tempo.Redis;

namespace Tempo.Dashboard;

/// <summary>What a dashboard shows and where it listens.</summary>
public sealed record DashboardOptions
{
    /// <summary>The default port.</summary>
    public const int DefaultPort = 8050;

    /// <summary>Run folders to show, overlaid; a folder that does not exist yet is watched until it does.</summary>
    public IReadOnlyList<string> RunDirectories { get; init; } = [];

    /// <summary>The fleet's Redis; null shows no fleet.</summary>
    public RedisUrl? Redis { get; init; }

    /// <summary>The fleet's run name in Redis; required with <see cref="Redis"/>.</summary>
    public string? Run { get; init; }

    /// <summary>The port to listen on; 0 picks a free one (see <see cref="DashboardServer.Address"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The address to listen on; loopback unless <see cref="AllowRemote"/>.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>Allows a <see cref="Bind"/> address other machines can reach; the dashboard then logs a warning.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>The access token every request must carry; null for none (see <see cref="DashboardServer.Token"/>).</summary>
    public string? Token { get; init; }

    /// <summary>How often run folders are checked for new rows.</summary>
    public TimeSpan FilePollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the fleet is read: its heartbeat interval, so joins and exits show within a beat.</summary>
    public TimeSpan FleetPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the dashboard's messages go (the address, warnings, unreadable folders, Redis down).</summary>
    public Action<string> Log { get; init; } = Console.Error.WriteLine;

    /// <summary>Checks the options against each other.</summary>
    /// <exception cref="ArgumentException">One is out of range or contradicts another; the message names it and its value.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port {Port}: a port is 0 to 65535 (0 picks a free one).");
        }

        if (!IPAddress.IsLoopback(Bind) && !AllowRemote)
        {
            throw new ArgumentException($"--bind {Bind}: other machines could reach the dashboard at this address; add --allow-remote to mean it (and set a --token).");
        }

        if ((Redis is null) != (Run is null))
        {
            throw new ArgumentException(Redis is null ? $"--run {Run}: a fleet also needs --redis URL." : "--redis: a fleet also needs --run NAME.");
        }

        if (Token is { Length: < 8 })
        {
            throw new ArgumentException($"--token: '{Token}' is too short to protect anything; use 8 characters or more, or leave it out to get a generated one.");
        }

        if (FilePollInterval <= TimeSpan.Zero || FleetPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Poll intervals must be positive (files {FilePollInterval}, fleet {FleetPollInterval}).");
        }
    }
}
