using System.CommandLine;
using System.Globalization;
using Tempo.Redis;

namespace Tempo.Cli.Commands.Fleet;

/// <summary>The flags every fleet command shares (<c>--redis</c>, <c>--run</c>, <c>--redis-ca</c>, <c>--connect-wait</c>) and its error handling.</summary>
internal sealed class FleetOptions
{
    /// <summary>The longest --connect-wait: a day, beyond any start-up however busy the machine (a longer one is a typo).</summary>
    public const double MaxConnectWaitSeconds = 86_400;

    public Option<string> Redis { get; } = new("--redis") { Description = "The fleet's Redis: redis://[user:password@]host:port[/db], or rediss://… for TLS.", Required = true };

    public Option<string> Run { get; } = new("--run") { Description = "The run's name in Redis; the learner and its actors use the same.", Required = true };

    public Option<FileInfo> RedisCa { get; } = new("--redis-ca") { Description = "PEM file of the certificate authority of a rediss:// server the system does not trust (a private CA or a self-signed certificate)." };

    public Option<double> ConnectWait { get; } = new("--connect-wait")
    {
        Description = "Seconds to wait for Redis to answer before giving up (a process starting on a busy machine may need long).",
        DefaultValueFactory = _ => new RedisFleetOptions().ConnectWait.TotalSeconds,
    };

    public void AddTo(Command command)
    {
        command.Add(Redis);
        command.Add(Run);
        command.Add(RedisCa);
        command.Add(ConnectWait);
    }

    /// <summary>Connects as the parsed flags say, with warnings going to <paramref name="log"/> and an actor's outbox of <paramref name="outbox"/> segments (the default when null).</summary>
    public RedisFleet Connect(ParseResult parse, Action<string>? log, int? outbox = null)
    {
        var seconds = parse.GetValue(ConnectWait);
        if (!(seconds > 0 && seconds <= MaxConnectWaitSeconds))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--connect-wait must be a positive number of seconds, at most {MaxConnectWaitSeconds} (a day); got {seconds}."));
        }

        var options = new RedisFleetOptions { Log = log, TlsCaFile = parse.GetValue(RedisCa)?.FullName, ConnectWait = TimeSpan.FromSeconds(seconds) };
        if (outbox is { } capacity)
        {
            if (capacity <= 0)
            {
                throw new ArgumentException($"--outbox must be a positive number of segments; got {capacity}.");
            }

            options = options with { OutboxCapacity = capacity };
        }

        return RedisFleet.Connect(RedisUrl.Parse(parse.GetValue(Redis)!), parse.GetValue(Run)!, options);
    }

    /// <summary>Runs <paramref name="body"/>, turning a bad URL or an unreachable Redis into one error line, like every other bad input.</summary>
    public static int Guard(TextWriter error, Func<int> body) => CliErrors.Guard(error, () =>
    {
        try
        {
            return body();
        }
        catch (FormatException exception)
        {
            return CliErrors.Fail(error, exception.Message);
        }
        catch (InvalidOperationException exception) when (exception.Message.StartsWith("Cannot reach Redis", StringComparison.Ordinal))
        {
            return CliErrors.Fail(error, exception.Message);
        }
    });
}
