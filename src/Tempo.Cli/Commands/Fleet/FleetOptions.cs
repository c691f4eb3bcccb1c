using System.CommandLine;
using Tempo.Redis;

namespace Tempo.Cli.Commands.Fleet;

/// <summary>The flags every fleet command shares (<c>--redis</c>, <c>--run</c>) and its error handling.</summary>
internal sealed class FleetOptions
{
    public Option<string> Redis { get; } = new("--redis") { Description = "The fleet's Redis: redis://[user:password@]host:port[/db], or rediss://… for TLS.", Required = true };

    public Option<string> Run { get; } = new("--run") { Description = "The run's name in Redis; the learner and its actors use the same.", Required = true };

    public Option<FileInfo> RedisCa { get; } = new("--redis-ca") { Description = "PEM file of the certificate authority of a rediss:// server the system does not trust (a private CA or a self-signed certificate)." };

    public void AddTo(Command command)
    {
        command.Add(Redis);
        command.Add(Run);
        command.Add(RedisCa);
    }

    /// <summary>Connects as the parsed flags say, with warnings going to <paramref name="log"/> and an actor's outbox of <paramref name="outbox"/> segments (the default when null).</summary>
    public RedisFleet Connect(ParseResult parse, Action<string>? log, int? outbox = null)
    {
        var options = new RedisFleetOptions { Log = log, TlsCaFile = parse.GetValue(RedisCa)?.FullName };
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
