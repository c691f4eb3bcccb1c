using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tempo.Dashboard.Fleet;
using Tempo.Dashboard.Runs;
using Tempo.Dashboard.Streaming;

namespace Tempo.Dashboard;

/// <summary>A running dashboard: the page, its JSON endpoints and its event stream over run folders and a Redis fleet.</summary>
/// <example>
/// <code>
/// await using var dashboard = await DashboardServer.StartAsync(new DashboardOptions { RunDirectories = ["runs/cartpole"] });
/// Console.WriteLine(dashboard.PageUrl);
/// await dashboard.WaitForShutdownAsync(cancellationToken);
/// </code>
/// </example>
/// <remarks>Endpoints and events are described in <c>docs/formats/dashboard.md</c>.</remarks>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RunWatcher _runs;
    private readonly FleetWatcher? _fleet;
    private readonly EventHub _hub = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly DashboardOptions _options;
    private Task _watching = Task.CompletedTask;

    private DashboardServer(DashboardOptions options, WebApplication app)
    {
        _options = options;
        _app = app;
        _runs = new RunWatcher(options.RunDirectories);
        _fleet = options.Redis is { } redis ? new FleetWatcher(redis, options.Run!, options.FleetPollInterval, options.Log) : null;
        Token = options.Token;
    }

    /// <summary>The address the dashboard listens on (with the port picked when <see cref="DashboardOptions.Port"/> was 0).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The URL to open: <see cref="Address"/> with the access token, if any.</summary>
    public Uri PageUrl => Token is null ? Address : new Uri(Address, $"/?token={Uri.EscapeDataString(Token)}");

    /// <summary>The access token requests must carry (<c>?token=</c>, the cookie the page gets from it, or <c>Authorization: Bearer</c>); null for none.</summary>
    public string? Token { get; }

    /// <summary>How many pages are connected to the event stream.</summary>
    public int EventStreams => _hub.Subscribers;

    /// <summary>A new random access token (128 bits, URL-safe).</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Checks <paramref name="options"/>, starts listening and starts watching the runs and the fleet.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (see <see cref="DashboardOptions.Validate"/>).</exception>
    /// <exception cref="IOException">The address cannot be listened on (the port is taken); the message names it.</exception>
    public static async Task<DashboardServer> StartAsync(DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Bind, options.Port));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var server = new DashboardServer(options, app);
        server.Map();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"Cannot listen on {options.Bind}:{options.Port}: {exception.Message}", exception);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal));
        if (!IPAddress.IsLoopback(options.Bind))
        {
            options.Log($"warning: the dashboard listens on {options.Bind}, so other machines can reach it{(server.Token is null ? " without a token" : string.Empty)}.");
        }

        foreach (var run in server._runs.Runs)
        {
            run.Poll();
            if (run.View(withRows: false).Error is { } error)
            {
                options.Log(error);
            }
        }

        server._watching = Task.WhenAll(server.WatchRunsAsync(server._stop.Token), server.WatchFleetAsync(server._stop.Token));
        return server;
    }

    /// <summary>Waits until <paramref name="cancellationToken"/> is cancelled (Ctrl+C in the CLI).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the watchers, closes the event streams and stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _fleet?.Dispose();
        _stop.Dispose();
    }

    private void Map()
    {
        var gate = new TokenGate(Token);
        _app.Use(gate.InvokeAsync);
        _app.MapGet("/", () => StaticFiles.Serve("index.html"));
        _app.MapGet("/static/{**path}", (string path) => StaticFiles.Serve(path));
        _app.MapGet("/api/runs", () => Results.Json(_runs.Runs.Select(run => run.View(withRows: false)), DashboardJson.Options));
        _app.MapGet("/api/runs/{name}/curves", (string name) => _runs.Find(name) is { } run
            ? Results.Json(run.View(withRows: true), DashboardJson.Options)
            : UnknownRun(name));
        _app.MapGet("/api/runs/{name}/gaps", (string name) => _runs.Find(name) is { } run
            ? Results.Json(LiveGaps.Of(run.View(withRows: true)), DashboardJson.Options)
            : UnknownRun(name));
        _app.MapGet("/api/fleet", () => _fleet is null
            ? NoFleet()
            : Results.Json(_fleet.Current, DashboardJson.Options));
        _app.MapGet("/api/fleet/timing", () => _fleet is null
            ? NoFleet()
            : Results.Json(_fleet.Timing.View(), DashboardJson.Options));
        _app.MapGet("/api/events", StreamEventsAsync);
    }

    private static IResult NoFleet() => Results.Json(
        new { error = "This dashboard watches no fleet; start it with --redis URL --run NAME." },
        DashboardJson.Options,
        statusCode: StatusCodes.Status404NotFound);

    private IResult UnknownRun(string name) => Results.Json(
        new { error = $"No run named '{name}'; this dashboard shows {string.Join(", ", _runs.Runs.Select(r => r.Name))}." },
        DashboardJson.Options,
        statusCode: StatusCodes.Status404NotFound);

    // One stream per page: a snapshot of everything first (so a reconnect needs nothing else), then news as it happens.
    private async Task StreamEventsAsync(HttpContext context)
    {
        using var subscription = _hub.Subscribe();
        var response = context.Response;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stop.Token);
        try
        {
            await response.WriteAsync("retry: 1000\n\n", aborted.Token).ConfigureAwait(false);
            await response.WriteAsync(EventHub.Format("snapshot", Snapshot()), aborted.Token).ConfigureAwait(false);
            await response.Body.FlushAsync(aborted.Token).ConfigureAwait(false);
            while (true)
            {
                // A comment every 15 s finds pages that went away without closing the connection.
                using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(aborted.Token);
                keepAlive.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    var message = await subscription.Messages.ReadAsync(keepAlive.Token).ConfigureAwait(false);
                    await response.WriteAsync(message, aborted.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", aborted.Token).ConfigureAwait(false);
                }

                await response.Body.FlushAsync(aborted.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The page left or the dashboard stops.
        }
        finally
        {
            aborted.Dispose();
        }
    }

    private DashboardSnapshot Snapshot() => new(_runs.Runs.Select(run => run.View(withRows: true)).ToArray(), _fleet?.Current, _fleet?.Timing.View());

    private async Task WatchRunsAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.FilePollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                foreach (var run in _runs.Runs)
                {
                    var (points, changed) = run.Poll();
                    if (changed)
                    {
                        var view = run.View(withRows: true);
                        if (view.Error is { } error)
                        {
                            _options.Log(error);
                        }

                        _hub.Publish("run", view);
                    }
                    else if (points is not null)
                    {
                        _hub.Publish("points", points);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task WatchFleetAsync(CancellationToken stop)
    {
        if (_fleet is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.FleetPollInterval);
        try
        {
            // The first read starts at once but not in StartAsync: connecting to a Redis that is down waits a poll
            // period, and the page and the files need not wait for it.
            do
            {
                var (fleet, timingRow) = await Task.Run(_fleet.Poll, stop).ConfigureAwait(false);
                _hub.Publish("fleet", fleet);
                if (timingRow is not null)
                {
                    _hub.Publish("timing", new FleetTiming(fleet.Run, FleetTiming.ColumnNames, [timingRow]));
                }
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}

/// <summary>Everything a page needs to draw from scratch: the first event of every stream.</summary>
/// <param name="Runs">Every run with its rows.</param>
/// <param name="Fleet">The fleet; null when the dashboard watches none.</param>
/// <param name="FleetTiming">The fleet's actors' timing since the dashboard started; null when it watches no fleet.</param>
public sealed record DashboardSnapshot(IReadOnlyList<RunView> Runs, FleetView? Fleet, FleetTiming? FleetTiming);
