using System.CommandLine;
using System.Net;
using Tempo.Dashboard;
using Tempo.Redis;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo dashboard</c>: a live page over run folders and a Redis fleet, until Ctrl+C.</summary>
internal static class DashboardCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var runDirs = new Option<string[]>("--run-dir") { Description = "A run folder to show (repeat for several, overlaid); one that does not exist yet is watched until it does.", AllowMultipleArgumentsPerToken = false };
        var redis = new Option<string>("--redis") { Description = "The fleet's Redis (redis://[user:password@]host:port[/db]); needs --run." };
        var run = new Option<string>("--run") { Description = "The fleet's run name in Redis; needs --redis." };
        var port = new Option<int>("--port") { Description = "The port to listen on (0 picks a free one).", DefaultValueFactory = _ => DashboardOptions.DefaultPort };
        var bind = new Option<string>("--bind") { Description = "The address to listen on; anything but loopback needs --allow-remote.", DefaultValueFactory = _ => "127.0.0.1" };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow a --bind address other machines can reach (a token is then generated unless --token gives one)." };
        var token = new Option<string?>("--token") { Description = "Require this access token; --token without a value generates one. Printed with the URL.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("dashboard", "Serve a live page of learning curves, action gaps and a fleet's actors (and the same as JSON) until Ctrl+C.")
        {
            runDirs, redis, run, port, bind, allowRemote, token,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                if (!IPAddress.TryParse(parse.GetValue(bind), out var address))
                {
                    return CliErrors.Fail(error, $"--bind {parse.GetValue(bind)}: not an IP address (use 127.0.0.1, ::1, or 0.0.0.0 with --allow-remote).");
                }

                var given = parse.GetResult(token) is not null ? parse.GetValue(token) ?? DashboardServer.NewToken() : null;
                var remote = parse.GetValue(allowRemote);
                var options = new DashboardOptions
                {
                    RunDirectories = parse.GetValue(runDirs) ?? [],
                    Redis = parse.GetValue(redis) is { } url ? RedisUrl.Parse(url) : null,
                    Run = parse.GetValue(run),
                    Port = parse.GetValue(port),
                    Bind = address,
                    AllowRemote = remote,
                    Token = given ?? (remote && !IPAddress.IsLoopback(address) ? DashboardServer.NewToken() : null),
                    Log = line => error.WriteLine(line),
                };
                if (options.RunDirectories.Count == 0 && options.Redis is null)
                {
                    return CliErrors.Fail(error, "nothing to show: give --run-dir DIR (repeatable) and/or --redis URL --run NAME.");
                }

                await using var dashboard = await DashboardServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
                output.WriteLine($"dashboard at {dashboard.PageUrl} (Ctrl+C to stop)");
                await dashboard.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (ArgumentException exception)
            {
                return CliErrors.Fail(error, exception.Message);
            }
            catch (FormatException exception)
            {
                return CliErrors.Fail(error, exception.Message);
            }
            catch (IOException exception)
            {
                return CliErrors.Fail(error, exception.Message);
            }
        });
        return command;
    }
}
