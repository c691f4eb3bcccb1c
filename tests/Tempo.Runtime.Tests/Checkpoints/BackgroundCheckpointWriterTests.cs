using Tempo.Nn.Modules;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Tests.Metrics;

namespace Tempo.Runtime.Tests.Checkpoints;

public sealed class BackgroundCheckpointWriterTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Write_TrainingChangesWeightsAfterCapture_FileHoldsTheCapturedValues()
    {
        var path = _directory.File(CheckpointFile.FileName);
        var (parameters, adam) = CheckpointFileTests.Model(fill: 0.5f);
        adam.State.StepCount = 7;
        using var writer = new BackgroundCheckpointWriter();

        writer.Write(path, CheckpointImage.Capture(CheckpointFileTests.Checkpoint(), parameters, CheckpointFileTests.Named(parameters, adam)));
        Fill(parameters, 9f);
        adam.State.StepCount = 8;
        writer.Flush();

        var (loaded, loadedAdam) = CheckpointFileTests.Model(fill: 0);
        CheckpointFile.Load(path, loaded, CheckpointFileTests.Named(loaded, loadedAdam));
        Assert.All(loaded, p => Assert.All(p.Parameter.Value.Span.ToArray(), v => Assert.Equal(0.5f, v)));
        Assert.Equal(7, loadedAdam.State.StepCount);
        Assert.Equal(1, writer.Written);
    }

    [Fact]
    public void Write_TwiceInARow_TheLaterCheckpointWins()
    {
        var path = _directory.File(CheckpointFile.FileName);
        var (parameters, adam) = CheckpointFileTests.Model(fill: 1f);
        using var writer = new BackgroundCheckpointWriter();

        writer.Write(path, CheckpointImage.Capture(CheckpointFileTests.Checkpoint(), parameters, CheckpointFileTests.Named(parameters, adam)));
        Fill(parameters, 2f);
        writer.Write(path, CheckpointImage.Capture(CheckpointFileTests.Checkpoint() with { GlobalStep = 999 }, parameters, CheckpointFileTests.Named(parameters, adam)));
        writer.Flush();

        var (loaded, loadedAdam) = CheckpointFileTests.Model(fill: 0);
        var metadata = CheckpointFile.Load(path, loaded, CheckpointFileTests.Named(loaded, loadedAdam));
        Assert.Equal(999, metadata.GlobalStep);
        Assert.All(loaded, p => Assert.All(p.Parameter.Value.Span.ToArray(), v => Assert.Equal(2f, v)));
        Assert.Equal(2, writer.Written);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Flush_AfterAFailedWrite_RethrowsTheFailure()
    {
        // A file where the run folder should be: the write cannot create its temporary file.
        var blocker = _directory.File("not-a-folder");
        File.WriteAllText(blocker, "x");
        var (parameters, adam) = CheckpointFileTests.Model(fill: 1f);
        using var writer = new BackgroundCheckpointWriter();

        writer.Write(Path.Combine(blocker, CheckpointFile.FileName), CheckpointImage.Capture(CheckpointFileTests.Checkpoint(), parameters, CheckpointFileTests.Named(parameters, adam)));

        Assert.ThrowsAny<IOException>(writer.Flush);
        Assert.Equal(0, writer.Written);
    }

    [Fact]
    public void OptimizerStateCopy_OtherParameters_IsRejectedByName()
    {
        var (parameters, adam) = CheckpointFileTests.Model(fill: 1f);

        var error = Assert.Throws<ArgumentException>(() => adam.State.Copy([parameters[0]]));

        Assert.Equal("parameters", error.ParamName);
    }

    private static void Fill(NamedParameter[] parameters, float value)
    {
        foreach (var (_, parameter) in parameters)
        {
            parameter.Value.Span.Fill(value);
        }
    }
}
