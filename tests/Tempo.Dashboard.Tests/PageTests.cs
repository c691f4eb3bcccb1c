using Microsoft.Playwright;

namespace Tempo.Dashboard.Tests;

/// <summary>The page over two run folders in a real chromium: every chart overlays both runs, nothing is fetched from anywhere but the dashboard, and the page reconnects by itself when the server comes back.</summary>
/// <remarks>Files are polled every 100 ms and EventSource retries each second; waits allow 60 s, many times both, for a loaded 2-core machine.</remarks>
public sealed class PageTests
{
    private const float WaitMs = 60_000;

    private static readonly string[] _charts =
    [
        "chart-return-steps", "chart-return-time", "chart-sps", "chart-updates", "chart-losses",
        "chart-gaps", "chart-late", "chart-lag", "chart-drops",
    ];

    [SkippableFact]
    public async Task EveryChartOverlaysTheRunsOfflineAndThePageReconnectsByItself()
    {
        await using var chromium = await HeadlessChromium.StartAsync();
        using var a = new TestRunFolder("run-a");
        using var b = new TestRunFolder("run-b");
        foreach (var folder in new[] { a, b })
        {
            folder.WriteHeader();
            folder.Append(TestRunFolder.Row(0), TestRunFolder.Row(1), TestRunFolder.Row(2));
        }

        var options = new DashboardOptions { RunDirectories = [a.Path, b.Path], Port = 0, FilePollInterval = TimeSpan.FromMilliseconds(100), Log = _ => { } };
        DashboardServer? dashboard = await DashboardServer.StartAsync(options);
        var address = dashboard.Address;
        try
        {
            var page = await chromium.NewPageAsync();
            var pageErrors = new List<string>();
            var foreign = new List<string>();
            page.PageError += (_, message) => pageErrors.Add(message);
            // Offline: the page, its script, style and uPlot all come from the dashboard itself.
            page.Request += (_, request) =>
            {
                if (new Uri(request.Url).Authority != address.Authority)
                {
                    foreign.Add(request.Url);
                }
            };
            await page.GotoAsync(address.ToString());
            await page.WaitForSelectorAsync("#connection[data-state=live]", new PageWaitForSelectorOptions { Timeout = WaitMs });

            // Curves against steps and wall time, SPS, updates/s, losses, and the live timing: each with both runs.
            foreach (var chart in _charts)
            {
                await page.WaitForFunctionAsync(
                    "id => ['run-a', 'run-b'].every(run => (document.getElementById(id).dataset.series ?? '').split('|').some(s => s.startsWith(run)))",
                    chart,
                    new PageWaitForFunctionOptions { Timeout = WaitMs, PollingInterval = 100 });
            }

            Assert.True(await page.IsVisibleAsync("#live-section"));
            Assert.Contains("run-a period", await page.GetAttributeAsync("#chart-gaps", "data-series"), StringComparison.Ordinal);
            Assert.EndsWith("dashed: the period", await page.InnerTextAsync("#chart-gaps .u-title"), StringComparison.Ordinal);

            // The server goes away: the page says so. It comes back on the same address and the run has grown
            // meanwhile: the page is live again with the new row, without a reload.
            await dashboard.DisposeAsync();
            dashboard = null;
            await page.WaitForSelectorAsync("#connection[data-state=lost]", new PageWaitForSelectorOptions { Timeout = WaitMs });
            a.Append(TestRunFolder.Row(3));
            dashboard = await DashboardServer.StartAsync(options with { Port = address.Port });
            await page.WaitForSelectorAsync("#connection[data-state=live]", new PageWaitForSelectorOptions { Timeout = WaitMs });
            await page.WaitForSelectorAsync("#facts tr[data-run=run-a][data-rows='4']", new PageWaitForSelectorOptions { Timeout = WaitMs });
            await Screenshots.SaveAsync(page, "dashboard-two-runs.png");

            Assert.Empty(foreign);
            Assert.Empty(pageErrors);
        }
        finally
        {
            if (dashboard is not null)
            {
                await dashboard.DisposeAsync();
            }
        }
    }
}
