using System.Text.Json;
using Microsoft.Playwright;

namespace Tempo.Dashboard.Tests;

/// <summary>The dashboard over a real fleet: server side through the event stream, and the page in a real chromium.</summary>
/// <remarks>
/// Waits: a .NET process starts in 1–3 s on a loaded 2-core machine and the learner needs a few segments before its
/// first report; a killed actor stops beating and is gone when its heartbeat key expires (5 s time to live) and the
/// next fleet read (every 1 s) sees it. 60 s and 30 s leave several times that.
/// </remarks>
public sealed class FleetDashboardTests
{
    [SkippableFact]
    public async Task ActorsAppearInTheFleetEventsAndAKilledOneTurnsGone()
    {
        using var fleet = new FleetFixture("dash-fleet", actors: 2);
        await using var dashboard = await DashboardServer.StartAsync(new DashboardOptions
        {
            RunDirectories = [fleet.RunDirectory],
            Redis = fleet.Redis.Url,
            Run = fleet.Run,
            Port = 0,
            Log = _ => { },
        });
        using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var events = await EventStream.OpenAsync(client, dashboard.Address);

        var both = await Within(90, events.NextAsync("fleet", 90, f => State(f, "actor-0") is "acting" or "buffering" && State(f, "actor-1") is "acting" or "buffering" && State(f, "learner") == "learning"), fleet);
        Assert.Equal(JsonValueKind.Null, both.GetProperty("error").ValueKind);

        // The learner's metrics.csv has no action gaps (its envs are the actors'); the fleet's timing rows carry them,
        // from the heartbeats: the worst alive actor's gaps, which are the largest of the table's gap p99s.
        var timing = await Within(30, events.NextAsync("timing", 30, t => Cell(t, "actors_alive") == 2 && Cell(t, "action_gap_p99_ms") is not null), fleet);
        var p50 = Cell(timing, "action_gap_p50_ms")!.Value;
        var p99 = Cell(timing, "action_gap_p99_ms")!.Value;
        Assert.InRange(p99, p50, Cell(timing, "action_gap_max_ms")!.Value);
        Assert.NotNull(Cell(timing, "deadline_overruns"));
        Assert.NotNull(Cell(timing, "policy_lag_mean"));
        Assert.NotNull(Cell(timing, "segments_dropped_queue_full"));
        using (var history = await client.GetAsync(new Uri(dashboard.Address, "/api/fleet/timing")))
        {
            var json = JsonDocument.Parse(await history.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("dash-fleet", json.GetProperty("run").GetString());
            Assert.True(json.GetProperty("rows").GetArrayLength() >= 1);
        }

        fleet.Actor(1).Kill9();
        var gone = await Within(30, events.NextAsync("fleet", 30, f => State(f, "actor-1") == "gone"), fleet);
        Assert.NotEqual("gone", State(gone, "actor-0"));

        // The learner's run folder grows meanwhile; its rows reach the stream too.
        await Within(60, events.NextAsync("points", 60, p => p.GetProperty("run").GetString() == "dash-fleet"), fleet);
    }

    [SkippableFact]
    public async Task ThePageDrawsATrainingRunLiveAndShowsAKilledActorAsGone()
    {
        await using var chromium = await HeadlessChromium.StartAsync();
        using var fleet = new FleetFixture("dash-browser", actors: 2);
        var token = DashboardServer.NewToken();
        await using var dashboard = await DashboardServer.StartAsync(new DashboardOptions
        {
            RunDirectories = [fleet.RunDirectory],
            Redis = fleet.Redis.Url,
            Run = fleet.Run,
            Port = 0,
            Token = token,
            Log = _ => { },
        });
        var page = await chromium.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, message) => errors.Add(message);
        await page.GotoAsync(dashboard.PageUrl.ToString());
        await page.WaitForSelectorAsync("#connection[data-state=live]", new PageWaitForSelectorOptions { Timeout = 30_000 });

        // The return curve gains points while the run trains.
        var first = await Within(90, WaitForPointsAsync(page, "#chart-return-steps", atLeast: 2, seconds: 90), fleet);
        await Within(60, WaitForPointsAsync(page, "#chart-return-steps", atLeast: first + 2, seconds: 60), fleet);
        // The actors' timing draws too, from their heartbeats (one row a fleet read, each 1 s): gaps (p50, p99, max series
        // of one read are 3 points), late ticks, policy lag and drops.
        var gaps = await Within(30, WaitForPointsAsync(page, "#chart-fleet-gaps", atLeast: 6, seconds: 30), fleet);
        await Within(30, WaitForPointsAsync(page, "#chart-fleet-gaps", atLeast: gaps + 3, seconds: 30), fleet);

        // The title names a dashed period line only when one is drawn (the fleet's run folder must name a tick rate).
        var drawsPeriod = (await page.GetAttributeAsync("#chart-fleet-gaps", "data-series") ?? string.Empty).Contains(" period", StringComparison.Ordinal);
        Assert.Equal(drawsPeriod, (await page.InnerTextAsync("#chart-fleet-gaps .u-title")).Contains("dashed: the period", StringComparison.Ordinal));
        foreach (var chart in new[] { "#chart-fleet-late", "#chart-fleet-lag", "#chart-fleet-drops" })
        {
            await Within(30, WaitForPointsAsync(page, chart, atLeast: 2, seconds: 30), fleet);
        }

        // Alive is acting or, on a loaded machine, briefly buffering; the point is that it is not gone yet.
        // Both actors must be up before one is killed (a process can take many seconds to start on a loaded machine).
        await Within(90, page.WaitForSelectorAsync("#fleet tr[data-member=actor-0]:not([data-state=gone])", new PageWaitForSelectorOptions { Timeout = 90_000 }), fleet);
        await Within(90, page.WaitForSelectorAsync("#fleet tr[data-member=actor-1]:not([data-state=gone])", new PageWaitForSelectorOptions { Timeout = 90_000 }), fleet);
        await Within(30, page.WaitForSelectorAsync("#fleet tr[data-member=learner][data-state=learning]", new PageWaitForSelectorOptions { Timeout = 30_000 }), fleet);
        await Within(30, WaitForPointsAsync(page, "#chart-return-time", atLeast: 2, seconds: 30), fleet);

        // The actors table: who, where, when last seen, how fast, which policy and how far behind, gap p99, reconnects, state.
        var header = await page.Locator("#fleet thead th").AllTextContentsAsync();
        Assert.Equal(new[] { "member", "state", "host", "last seen", "steps/s", "policy", "lag", "gap p99 ms", "sent", "dropped", "reconnects" }, header);
        var actor = await page.Locator("#fleet tr[data-member=actor-0] td").AllTextContentsAsync();
        Assert.Equal(Environment.MachineName, actor[2]);
        Assert.Matches(@"^\d+\.\d s ago$", actor[3]);
        Assert.All(new[] { actor[4], actor[5], actor[6], actor[10] }, cell => Assert.Matches(@"^[\d,.]+$", cell));
        // An actor's gap p99 covers its last heartbeat interval; one that took no step in it (a stalled process) has none.
        Assert.Matches(@"^([\d,.]+|–)$", actor[7]);
        await Screenshots.SaveAsync(page, "dashboard-training.png");

        fleet.Actor(1).Kill9();
        await Within(30, page.WaitForSelectorAsync("#fleet tr[data-member=actor-1][data-state=gone]", new PageWaitForSelectorOptions { Timeout = 30_000 }), fleet);
        Assert.NotEqual("gone", await page.GetAttributeAsync("#fleet tr[data-member=actor-0]", "data-state"));
        await Screenshots.SaveAsync(page, "dashboard-actor-gone.png");
        Assert.Empty(errors);
    }

    private static async Task<int> WaitForPointsAsync(IPage page, string chart, int atLeast, double seconds)
    {
        await page.WaitForFunctionAsync(
            "([selector, n]) => Number(document.querySelector(selector)?.dataset.points ?? 0) >= n",
            new object[] { chart, atLeast },
            new PageWaitForFunctionOptions { Timeout = (float)(seconds * 1000), PollingInterval = 200 });
        return int.Parse((await page.GetAttributeAsync(chart, "data-points"))!, System.Globalization.CultureInfo.InvariantCulture);
    }

    // A timing row's cell by column name (the event carries one row).
    private static double? Cell(JsonElement timing, string column)
    {
        var index = timing.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList().IndexOf(column);
        var cell = timing.GetProperty("rows")[0][index];
        return cell.ValueKind == JsonValueKind.Null ? null : cell.GetDouble();
    }

    private static string? State(JsonElement fleet, string member) =>
        fleet.GetProperty("members").EnumerateArray()
            .Where(m => m.GetProperty("status").GetProperty("member").GetString() == member)
            .Select(m => m.GetProperty("state").GetString())
            .FirstOrDefault();

    // Failure messages carry what the processes printed.
    private static async Task<T> Within<T>(double seconds, Task<T> task, FleetFixture fleet)
    {
        try
        {
            return await task;
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException or PlaywrightException)
        {
            Assert.Fail($"not reached within {seconds} s: {exception.Message}\n{fleet.Output}");
            throw;
        }
    }
}
