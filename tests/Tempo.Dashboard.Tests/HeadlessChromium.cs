using System.Diagnostics;
using Microsoft.Playwright;
using Tempo.Tests.Shared;

namespace Tempo.Dashboard.Tests;

/// <summary>
/// Debian's chromium (never a downloaded one), launched headless by Playwright through its executable path and killed
/// by its pid, with its children, when the test ends, whether or not Playwright managed to close it.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    // As root in a container: chromium refuses to start sandboxed as root, has no GPU, and must not phone home.
    private static readonly string[] _flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly DateTime _started;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser, int processId, DateTime started)
    {
        _playwright = playwright;
        Browser = browser;
        ProcessId = processId;
        _started = started;
    }

    public IBrowser Browser { get; }

    /// <summary>The browser process's pid, as chromium itself reports it.</summary>
    public int ProcessId { get; }

    /// <summary>Starts chromium, or skips the test loudly (fails in CI) when it is not installed.</summary>
    public static async Task<HeadlessChromium> StartAsync()
    {
        var executable = ExternalTool.Require("chromium", "chromium");
        var playwright = await Playwright.CreateAsync();
        try
        {
            // 60 s: chromium starts in about a second on a quiet machine, ten or more beside builds on 2 cores.
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = _flags, Timeout = 60_000 });
            var session = await browser.NewBrowserCDPSessionAsync();
            var info = await session.SendAsync("SystemInfo.getProcessInfo");
            await session.DetachAsync();
            var processId = info!.Value.GetProperty("processInfo").EnumerateArray()
                .First(p => p.GetProperty("type").GetString() == "browser")
                .GetProperty("id").GetInt32();
            using var process = Process.GetProcessById(processId);
            return new HeadlessChromium(playwright, browser, processId, process.StartTime);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page of its own in a fresh context (no cookies shared with other pages).</summary>
    public async Task<IPage> NewPageAsync(int width = 1400, int height = 1300)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        // Playwright's 30 s default was too short for a page load beside a training learner and two actors on a
        // 2-core machine at load 25 (seen once); 90 s matches the tests' other waits.
        page.SetDefaultTimeout(90_000);
        page.SetDefaultNavigationTimeout(90_000);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // A polite close first, so Playwright removes the temporary profile it made.
            await Browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception exception) when (exception is PlaywrightException or TimeoutException)
        {
            // Hung or already gone: the kill below settles it.
        }

        try
        {
            using var process = Process.GetProcessById(ProcessId);
            // The start time guards against a pid the system reused after chromium exited.
            if (process.StartTime == _started)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (ArgumentException)
        {
            // Exited on close, as it should.
        }
        catch (InvalidOperationException)
        {
            // Exited between the lookup and the kill.
        }

        _playwright.Dispose();
    }
}
