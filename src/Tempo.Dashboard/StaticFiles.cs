using Microsoft.AspNetCore.Http;

namespace Tempo.Dashboard;

/// <summary>The page's files, embedded in the assembly under <c>wwwroot/</c>.</summary>
internal static class StaticFiles
{
    public static IResult Serve(string path)
    {
        var type = Path.GetExtension(path) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".png" => "image/png",
            _ => "text/plain; charset=utf-8",
        };
        var stream = typeof(StaticFiles).Assembly.GetManifestResourceStream("wwwroot/" + path);
        return stream is null ? Results.NotFound($"No file {path}.") : Results.Stream(stream, type);
    }
}
