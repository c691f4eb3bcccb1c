using System.Diagnostics;

namespace Tempo.Tests.Shared;

/// <summary>
/// Finds the outside programs some tests need (ffmpeg, redis-server, Xvfb, a game). In CI a missing program fails the
/// test, because CI installs everything; elsewhere the test is skipped with a line on stderr saying what is missing
/// and how to install it, so a skip is never silent. Tests using it are <c>[SkippableFact]</c>/<c>[SkippableTheory]</c>.
/// </summary>
internal static class ExternalTool
{
    /// <summary>True when the CI variable is set to anything but empty, "0" or "false" (.ci/run sets it).</summary>
    public static bool InCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } value && value != "0" && !value.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>The program's full path from PATH (or the absolute path given), or null when it is not there.</summary>
    public static string? Find(string program)
    {
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program) ? program : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Returns the program's full path. When it is missing: fails in CI, else skips the calling test and says so on stderr.
    /// </summary>
    /// <param name="program">The executable's name on PATH, e.g. "redis-server".</param>
    /// <param name="package">The Debian package that provides it, named in the message.</param>
    public static string Require(string program, string package)
    {
        var path = Find(program);
        if (path is not null)
        {
            return path;
        }

        var message = $"{program} is not installed (apt-get install {package}, or run scripts/install-test-deps.sh)";
        if (InCi)
        {
            throw new InvalidOperationException($"{message}; CI installs it, so this is a failure, not a skip.");
        }

        Console.Error.WriteLine($"SKIPPED: {message}.");
        Debug.WriteLine($"SKIPPED: {message}.");
        throw new SkipException(message);
    }
}
