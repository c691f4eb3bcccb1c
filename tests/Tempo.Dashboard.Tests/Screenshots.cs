using Microsoft.Playwright;

namespace Tempo.Dashboard.Tests;

/// <summary>Screenshots of the browser tests, saved only when asked: <c>TEMPO_DASHBOARD_SCREENSHOTS=DIR dotnet test tests/Tempo.Dashboard.Tests</c>.</summary>
/// <remarks>dotnet test passes no arguments of its own to a test, so the folder comes in an environment variable.</remarks>
internal static class Screenshots
{
    public const string Variable = "TEMPO_DASHBOARD_SCREENSHOTS";

    /// <summary>Saves the whole page as <paramref name="name"/> in the folder the variable names; does nothing without it.</summary>
    public static async Task SaveAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } folder)
        {
            return;
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory.CreateDirectory(folder).FullName, name), FullPage = true });
    }
}
