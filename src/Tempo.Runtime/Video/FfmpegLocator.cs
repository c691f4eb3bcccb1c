namespace Tempo.Runtime.Video;

/// <summary>Finds the ffmpeg executable on the search path.</summary>
public static class FfmpegLocator
{
    /// <summary>Returns the full path of ffmpeg on the process's PATH, or null when it is not installed.</summary>
    public static string? Find() => Find(Environment.GetEnvironmentVariable("PATH"));

    /// <summary>Returns the full path of ffmpeg in the given search path, or null when no directory holds it.</summary>
    /// <param name="searchPath">Directories separated by <see cref="Path.PathSeparator"/>, as in PATH; null searches nothing.</param>
    public static string? Find(string? searchPath) => FindProgram("ffmpeg", searchPath);

    /// <summary>Returns the full path of an executable program in the given search path, or null when no directory holds it.</summary>
    internal static string? FindProgram(string name, string? searchPath)
    {
        if (string.IsNullOrEmpty(searchPath))
        {
            return null;
        }

        var fileName = OperatingSystem.IsWindows() ? name + ".exe" : name;
        foreach (var directory in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var candidate = Path.Combine(directory, fileName);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
