using System.Buffers.Binary;
using Tempo.Plotting;

namespace Tempo.Cli.Tests.Commands;

public sealed class PlotCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Plot_TwoRealRuns_WritesAPngOfTheAskedSize()
    {
        string[] runs = [_directory.File("seed-1"), _directory.File("seed-2")];
        for (var i = 0; i < runs.Length; i++)
        {
            var trained = CliRun.Of("train", "--env", "CartPole-v1", "--total-timesteps", "2048", "--num-envs", "2", "--num-steps", "128", "--seed", $"{i + 1}", "--run-dir", runs[i], "--plain");
            Assert.Equal(0, trained.ExitCode);
        }

        var png = _directory.File("curves.png");

        var run = CliRun.Of(["plot", .. runs, "-o", png, "--width", "640", "--panel-height", "240"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 1000, $"The PNG has only {bytes.Length} bytes.");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);

        // IHDR, the first chunk: width and height, big-endian, at bytes 16 and 20. CartPole is not live: two panels.
        Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(480, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void Plot_FolderWithoutMetrics_IsOneErrorLineNamingIt()
    {
        var empty = _directory.File("empty");
        Directory.CreateDirectory(empty);

        var run = CliRun.Of("plot", empty, "-o", _directory.File("curves.png"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {empty} holds no metrics.csv; plot the folder a run trained into (tempo train --run-dir).", run.Error.Trim());
        Assert.False(File.Exists(_directory.File("curves.png")));
    }

    [Fact]
    public void Plot_MissingFolder_IsOneErrorLine()
    {
        var missing = _directory.File("missing");

        var run = CliRun.Of("plot", missing, "-o", _directory.File("curves.png"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: Run folder {missing} does not exist.", run.Error.Trim());
    }

    [Fact]
    public void SavePng_LiveRun_AddsTheActionGapPanel()
    {
        var folder = _directory.File("live");
        Directory.CreateDirectory(folder);
        File.WriteAllText(
            Path.Combine(folder, "metrics.csv"),
            "global_step,wall_time_s,episodes,episodic_return_mean,sps,action_gap_p50_ms,action_gap_p99_ms\n100,1.0,0,,100,20.1,22.5\n200,2.0,1,3.5,100,20.0,24.0\n");
        var png = _directory.File("live.png");

        var (width, height) = LearningCurves.SavePng([folder], png, 400, 200);

        Assert.True(RunMetrics.Read(folder).IsLive);
        Assert.Equal((400, 600), (width, height));
        Assert.Equal(600, BinaryPrimitives.ReadInt32BigEndian(File.ReadAllBytes(png).AsSpan(20)));
    }

    [Fact]
    public void Read_CellThatIsNotANumber_NamesTheFileLineColumnAndValue()
    {
        var folder = _directory.File("bad");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "metrics.csv"), "global_step,wall_time_s,episodes,episodic_return_mean\n128,0.5,3,lots\n");

        var error = Assert.Throws<InvalidDataException>(() => RunMetrics.Read(folder));

        Assert.Equal($"{Path.Combine(folder, "metrics.csv")}, line 2, column episodic_return_mean: 'lots' is not a number.", error.Message);
    }
}
