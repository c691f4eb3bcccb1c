using System.Collections.Concurrent;
using System.Net;
using Microsoft.Playwright;
using Tempo.Redis.Tests;

namespace Tempo.Dashboard.Tests;

/// <summary>Bad input as a person sees it in a real chromium: one line on the page per problem, the same in the log, the page live throughout, and each line gone once its cause is.</summary>
/// <remarks>
/// Files are polled every 100 ms and the fleet every 1 s (its heartbeat). A Redis that comes back is found by the next
/// fleet read, whose connect waits at most a heartbeat.
/// Waits allow 60 s: several times the slowest of these on a 2-core machine running builds beside the test.
/// </remarks>
public sealed class BadInputPageTests
{
    private const float WaitMs = 60_000;

    [SkippableFact]
    public async Task EachBadInputIsALineOnThePageAndInTheLogUntilItsCauseIsGone()
    {
        await using var chromium = await HeadlessChromium.StartAsync();
        using var redis = RedisServer.Start();
        // Down from the start; it comes back on the same port later.
        redis.Kill();
        using var corrupt = new TestRunFolder("corrupt");
        corrupt.WriteHeader();
        // Line 3 is garbage (control characters and all) and line 4 has three cells too many; rows 2 and 5 are good.
        corrupt.Append(TestRunFolder.Row(0), "\u0001\u0002garbage", TestRunFolder.Row(1) + ",1,2,3", TestRunFolder.Row(2));
        // The run is writing its next row: the last line is cut short, which is not a problem, just not a row yet.
        var partial = TestRunFolder.Row(3);
        File.AppendAllText(corrupt.Metrics, partial[..12]);
        using var empty = new TestRunFolder("empty", withConfig: false);
        // Binary garbage without a single line break: no line ever ends, yet it is a problem, not a row being written.
        using var binary = new TestRunFolder("binary");
        File.WriteAllBytes(binary.Metrics, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x1a, 0x00, 0x00, 0x00, 0x0d, (byte)'I', (byte)'H', (byte)'D', (byte)'R']);
        var missing = Path.Combine(corrupt.Root, "not-yet");
        var log = new ConcurrentQueue<string>();
        await using var dashboard = await DashboardServer.StartAsync(new DashboardOptions
        {
            RunDirectories = [corrupt.Path, empty.Path, binary.Path, missing],
            Redis = redis.Url,
            Run = "down-and-back",
            Port = 0,
            FilePollInterval = TimeSpan.FromMilliseconds(100),
            Log = log.Enqueue,
        });

        var page = await chromium.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, message) => pageErrors.Add(message);
        await page.GotoAsync(dashboard.PageUrl.ToString());
        await page.WaitForSelectorAsync("#connection[data-state=live]", new PageWaitForSelectorOptions { Timeout = WaitMs });

        var corruptLine = await ProblemAsync(page, "corrupt");
        Assert.Contains("line 3, column global_step: '??garbage' is not a number. (and 1 more bad rows, skipped)", corruptLine, StringComparison.Ordinal);
        Assert.Contains("holds no run", await ProblemAsync(page, "empty"), StringComparison.Ordinal);
        Assert.Contains("metrics.csv, line 1 (14 bytes with no line break, starting '?PNG??????IHDR'): control characters; this is not a metrics file", await ProblemAsync(page, "binary"), StringComparison.Ordinal);
        Assert.Contains("does not exist (yet); watching for it", await ProblemAsync(page, "not-yet"), StringComparison.Ordinal);
        Assert.Contains($"Cannot read fleet down-and-back from {redis.Url}: Redis does not answer", await ProblemAsync(page, "fleet"), StringComparison.Ordinal);
        Assert.Equal("2", await page.GetAttributeAsync("#facts tr[data-run=corrupt]", "data-rows"));
        Assert.Contains(log, line => line.Contains("line 3, column global_step", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains("holds no run", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains("(14 bytes with no line break", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains("not-yet does not exist", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains("Cannot read fleet down-and-back", StringComparison.Ordinal));
        await Screenshots.SaveAsync(page, "dashboard-bad-input.png");

        // The cut row is finished: it draws, and the corrupt file's message stays as it was.
        File.AppendAllText(corrupt.Metrics, partial[12..] + "\n");
        await page.WaitForSelectorAsync("#facts tr[data-run=corrupt][data-rows='3']", new PageWaitForSelectorOptions { Timeout = WaitMs });
        Assert.Equal(corruptLine, await ProblemAsync(page, "corrupt"));

        // Each cause goes away in turn and its line with it, without a reload.
        redis.Start();
        await page.WaitForSelectorAsync("#problems [data-source=fleet]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached, Timeout = WaitMs });
        Assert.True(await page.IsVisibleAsync("#fleet-section"));
        Assert.Contains(log, line => line.Contains("reachable again", StringComparison.Ordinal));

        Directory.CreateDirectory(missing);
        File.WriteAllText(Path.Combine(missing, "metrics.csv"), TestRunFolder.Header + "\n" + TestRunFolder.Row(0) + "\n");
        await page.WaitForSelectorAsync("#facts tr[data-run=not-yet][data-rows='1']", new PageWaitForSelectorOptions { Timeout = WaitMs });
        await page.WaitForSelectorAsync("#problems [data-source=not-yet]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached, Timeout = WaitMs });

        // The server kept serving: the page never lost its stream and the endpoints answer.
        Assert.Equal("live", await page.GetAttributeAsync("#connection", "data-state"));
        using var client = new HttpClient();
        using var runs = await client.GetAsync(new Uri(dashboard.Address, "/api/runs"));
        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        Assert.Empty(pageErrors);
    }

    private static async Task<string> ProblemAsync(IPage page, string source)
    {
        var line = await page.WaitForSelectorAsync($"#problems [data-source='{source}']", new PageWaitForSelectorOptions { Timeout = WaitMs });
        return (await line!.TextContentAsync())!;
    }
}
