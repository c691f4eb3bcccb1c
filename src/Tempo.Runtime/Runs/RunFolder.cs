using System.Globalization;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Metrics.TensorBoard;

namespace Tempo.Runtime.Runs;

/// <summary>What every run writes in its folder: <c>config.json</c>, <c>metrics.csv</c>, TensorBoard events and the checkpoint; and the rule that a folder holding a run is never overwritten unless asked.</summary>
internal static class RunFolder
{
    /// <summary>The config's file name inside a run folder.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>The metrics file's name inside a run folder.</summary>
    public const string MetricsFileName = "metrics.csv";

    /// <summary>Where runs go when the settings name no folder: <c>runs/&lt;env&gt;-&lt;algo&gt;-&lt;time&gt;</c>, relative to the working directory.</summary>
    public const string DefaultRoot = "runs";

    /// <summary>The name, inside <see cref="DefaultRoot"/>, of the link to the newest default folder.</summary>
    public const string LatestName = "latest";

    /// <summary>Picks the run's folder: the one the settings name, or a fresh one under <c>runs/</c>; refuses a folder that holds another run.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="time">The clock whose local time names a fresh folder.</param>
    /// <param name="defaultRoot">Where fresh folders go (<see cref="DefaultRoot"/>; tests use a temporary folder).</param>
    /// <exception cref="RunFolderException">The folder is a file, or holds a run that is neither resumed nor to be overwritten.</exception>
    public static string Choose(RunSettings settings, TimeProvider time, string defaultRoot = DefaultRoot)
    {
        if (settings.RunDirectory is not { } named)
        {
            return FreshDefault(settings, time, defaultRoot);
        }

        var full = Path.GetFullPath(named);
        if (File.Exists(full))
        {
            throw new RunFolderException($"run folder {full} is a file; give a folder (--run-dir DIR).");
        }

        var resumingIt = settings.ResumeFrom is { } resumeFrom && PathsEqual(Path.GetDirectoryName(Path.GetFullPath(resumeFrom))!, full);
        if (HoldsRun(full) && !resumingIt && !settings.OverwriteExistingRun)
        {
            throw new RunFolderException(
                $"run folder {full} already holds a run; continue it with --resume {full}, overwrite it with --force, or choose a new folder with --run-dir.");
        }

        return named;
    }

    /// <summary>Whether <paramref name="directory"/> holds any file a run writes (config, metrics, checkpoint, TensorBoard events).</summary>
    public static bool HoldsRun(string directory) =>
        Directory.Exists(directory) && RunFiles(directory).Any();

    /// <summary>Creates the folder and writes <paramref name="config"/> as <c>config.json</c>; called once everything that could refuse the run has passed.</summary>
    /// <remarks>An overwritten run's files go first, so TensorBoard never shows two runs' events in one folder; other files in the folder stay.</remarks>
    /// <exception cref="RunFolderException">The folder cannot be created or written.</exception>
    public static void Prepare(RunSettings settings, string config, bool resumed)
    {
        var runDirectory = settings.RunDirectory!;
        try
        {
            // --force on a folder that does not exist yet has nothing to clear.
            if (settings.OverwriteExistingRun && !resumed && Directory.Exists(runDirectory))
            {
                foreach (var file in RunFiles(runDirectory).ToArray())
                {
                    File.Delete(file);
                }
            }

            Directory.CreateDirectory(runDirectory);
            File.WriteAllText(Path.Combine(runDirectory, ConfigFileName), config);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new RunFolderException($"cannot write run folder {Path.GetFullPath(runDirectory)}: {error.Message}", error);
        }
    }

    /// <summary>Points <c>runs/latest</c> at <paramref name="runDirectory"/> when it is a default folder (a symbolic link; on Windows, where links need privileges, a text file naming the folder).</summary>
    /// <remarks>A <c>runs/latest</c> that is a real folder (a run from before default folders were fresh) is left alone.</remarks>
    public static void PointLatest(string runDirectory)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(runDirectory))!;
        var latest = Path.Combine(root, LatestName);
        var target = Path.GetFileName(Path.GetFullPath(runDirectory));
        if (Directory.Exists(latest) && new DirectoryInfo(latest).LinkTarget is null)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(latest, target + Environment.NewLine);
            return;
        }

        // An old link (or a dangling one) goes; File.Delete removes the link itself, never what it points to.
        if (new FileInfo(latest).LinkTarget is not null)
        {
            File.Delete(latest);
        }

        File.CreateSymbolicLink(latest, target);
    }

    /// <summary>Where the run's checkpoint lives.</summary>
    public static string CheckpointPath(string runDirectory) => Path.Combine(runDirectory, CheckpointFile.FileName);

    /// <summary>Where the replay buffer of a checkpoint at <paramref name="checkpointPath"/> goes, when its learner carries it.</summary>
    public static string ReplayPath(string checkpointPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!, "replay.tempo");

    /// <summary>Opens the metrics sinks; a resumed run appends to its <c>metrics.csv</c> instead of starting it anew.</summary>
    public static CompositeMetricsSink OpenMetrics(string runDirectory, bool resumed, TimeProvider time, IMetricsSink? progress) => new(
        [
            CsvMetricsSink.Open(Path.Combine(runDirectory, MetricsFileName), resumed ? FileMode.Append : FileMode.Create),
            TensorBoardMetricsSink.Create(runDirectory, time),
            .. progress is null ? Array.Empty<IMetricsSink>() : [progress],
        ]);

    private static IEnumerable<string> RunFiles(string directory) =>
        Directory.EnumerateFiles(directory).Where(path => Path.GetFileName(path) is var name
            && (name is ConfigFileName or MetricsFileName or CheckpointFile.FileName || name.StartsWith(TensorBoardMetricsSink.FileNamePrefix, StringComparison.Ordinal)));

    /// <summary>A folder under <c>runs/</c> no run has used: <c>&lt;env&gt;-&lt;algo&gt;-&lt;yyyyMMdd-HHmmss&gt;</c>, with <c>-2</c>, <c>-3</c>, … when runs start within one second.</summary>
    private static string FreshDefault(RunSettings settings, TimeProvider time, string root)
    {
        var stamp = time.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var stem = Path.Combine(root, $"{SafeName(settings.Env)}-{settings.Algorithm.Name}-{stamp}");
        var candidate = stem;
        for (var suffix = 2; Directory.Exists(candidate) || File.Exists(candidate); suffix++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{stem}-{suffix}");
        }

        return candidate;
    }

    private static string SafeName(string env) =>
        string.Concat(env.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
