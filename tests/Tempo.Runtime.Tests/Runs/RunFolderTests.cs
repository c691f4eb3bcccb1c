using System.Globalization;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Tests.Metrics;

namespace Tempo.Runtime.Tests.Runs;

/// <summary>A run folder that holds a run is never overwritten by accident; default folders are fresh per run; a resumed run continues every counter.</summary>
public sealed class RunFolderTests : IDisposable
{
    private static readonly EnvRegistry _registry = EnvRegistry.CreateDefault();
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static RunSettings Tiny(string? runDirectory, long steps = 512) => new()
    {
        Env = "CartPole-v1",
        RunDirectory = runDirectory,
        Collection = new CollectionOptions { NumEnvs = 2, NumSteps = 128, TotalTimesteps = steps },
    };

    [Fact]
    public void Train_FolderHoldingARun_IsRefusedBeforeAnythingIsWritten()
    {
        var folder = _directory.File("run");
        Trainer.Train(_registry, Tiny(folder));
        var before = Directory.GetFiles(folder).ToDictionary(f => f, File.ReadAllBytes);

        var error = Assert.Throws<RunFolderException>(() => Trainer.Train(_registry, Tiny(folder, steps: 256)));

        Assert.Contains(Path.GetFullPath(folder), error.Message);
        Assert.Contains($"--resume {Path.GetFullPath(folder)}", error.Message);
        Assert.Contains("--force", error.Message);
        Assert.Contains("new folder", error.Message);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(folder).Order());
        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }

    [Fact]
    public void Train_Overwrite_ReplacesTheRunsFilesAndKeepsOthers()
    {
        var folder = _directory.File("run");
        Trainer.Train(_registry, Tiny(folder));
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        var oldEvents = Assert.Single(Directory.GetFiles(folder, "events.out.tfevents.*"));

        // One second later, so a new TensorBoard file would get a new name if the old one were kept.
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow.AddSeconds(5));
        Trainer.Train(_registry, Tiny(folder, steps: 256) with { OverwriteExistingRun = true }, new RunHooks { Time = clock });

        var events = Assert.Single(Directory.GetFiles(folder, "events.out.tfevents.*"));
        Assert.NotEqual(oldEvents, events);
        var rows = File.ReadAllLines(Path.Combine(folder, "metrics.csv"))[1..];
        Assert.Equal(["256"], rows.Select(r => r.Split(',')[0]));
        Assert.Equal(256, CheckpointFile.ReadMetadata(Path.Combine(folder, CheckpointFile.FileName)).GlobalStep);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.txt")));
    }

    [Fact]
    public void Train_FolderIsAFile_IsRefusedNamingIt()
    {
        var file = _directory.File("taken");
        File.WriteAllText(file, "not a folder");

        var error = Assert.Throws<RunFolderException>(() => Trainer.Train(_registry, Tiny(file)));

        Assert.Contains($"run folder {Path.GetFullPath(file)} is a file", error.Message);
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public void Choose_NoFolderNamed_IsFreshPerRunEvenWithinOneSecond()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 7, 2, 30, 15, TimeSpan.Zero));
        var root = _directory.File("runs");
        var stamp = clock.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var settings = Tiny(null);

        var first = RunFolder.Choose(settings, clock, root);
        Directory.CreateDirectory(first);
        var second = RunFolder.Choose(settings, clock, root);

        Assert.Equal(Path.Combine(root, $"CartPole-v1-ppo-{stamp}"), first);
        Assert.Equal(first + "-2", second);
    }

    [SkippableFact]
    public void PointLatest_EachDefaultRun_LinksRunsLatestToTheNewest()
    {
        Skip.If(OperatingSystem.IsWindows(), "runs/latest is a text file on Windows.");
        var root = _directory.File("runs");
        var first = Path.Combine(root, "a");
        var second = Path.Combine(root, "b");
        Directory.CreateDirectory(first);
        Directory.CreateDirectory(second);
        File.WriteAllText(Path.Combine(second, "config.json"), "{}");

        RunFolder.PointLatest(first);
        RunFolder.PointLatest(second);

        var latest = new DirectoryInfo(Path.Combine(root, "latest"));
        Assert.Equal("b", latest.LinkTarget);
        Assert.True(File.Exists(Path.Combine(latest.FullName, "config.json")));
        Assert.True(Directory.Exists(first), "relinking must not touch the old run");
    }

    [Fact]
    public void PointLatest_LatestIsARealFolder_LeavesItAlone()
    {
        var root = _directory.File("runs");
        var old = Path.Combine(root, "latest");
        Directory.CreateDirectory(old);
        File.WriteAllText(Path.Combine(old, "metrics.csv"), "old run");
        Directory.CreateDirectory(Path.Combine(root, "new"));

        RunFolder.PointLatest(Path.Combine(root, "new"));

        Assert.Equal("old run", File.ReadAllText(Path.Combine(old, "metrics.csv")));
    }

    [Fact]
    public void Train_Resumed_ContinuesEpisodesAndWallTimeAsWellAsSteps()
    {
        var folder = _directory.File("run");
        var first = Trainer.Train(_registry, Tiny(folder));
        var checkpoint = Path.Combine(folder, CheckpointFile.FileName);
        var saved = CheckpointFile.ReadMetadata(checkpoint);

        var resumed = Trainer.Train(_registry, Tiny(folder, steps: 1024) with { ResumeFrom = checkpoint });

        // metrics.csv: both processes' rows, every counter rising across the resume.
        var lines = File.ReadAllLines(Path.Combine(folder, "metrics.csv"));
        var header = lines[0].Split(',');
        var rows = lines[1..].Select(l => l.Split(',')).ToArray();
        long Column(string[] row, string name) => (long)double.Parse(row[Array.IndexOf(header, name)], CultureInfo.InvariantCulture);
        double Seconds(string[] row) => double.Parse(row[Array.IndexOf(header, "wall_time_s")], CultureInfo.InvariantCulture);
        Assert.Equal([256L, 512, 768, 1024], rows.Select(r => Column(r, "global_step")));
        var firstAfterResume = rows[2];
        Assert.True(Column(firstAfterResume, "episodes") > saved.Episodes, $"episodes restarted: {Column(firstAfterResume, "episodes")} after {saved.Episodes}");
        Assert.True(Seconds(firstAfterResume) > saved.WallTimeSeconds, $"wall time restarted: {Seconds(firstAfterResume)} after {saved.WallTimeSeconds}");
        for (var i = 1; i < rows.Length; i++)
        {
            Assert.True(Column(rows[i], "episodes") >= Column(rows[i - 1], "episodes"));
            Assert.True(Seconds(rows[i]) > Seconds(rows[i - 1]));
        }

        // The outcome and the new checkpoint count the run's whole life.
        Assert.Equal(first.Episodes, saved.Episodes);
        Assert.True(resumed.Episodes > first.Episodes);
        Assert.True(resumed.WallTimeSeconds > saved.WallTimeSeconds);
        var after = CheckpointFile.ReadMetadata(checkpoint);
        Assert.Equal(resumed.Episodes, after.Episodes);
        // The last checkpoint is captured just before the outcome is read, so its wall time lies between the two processes' ends.
        Assert.InRange(after.WallTimeSeconds, saved.WallTimeSeconds, resumed.WallTimeSeconds);
    }
}
