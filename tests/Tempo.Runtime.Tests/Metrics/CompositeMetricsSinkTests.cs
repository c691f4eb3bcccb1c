using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Tests.Metrics;

public sealed class CompositeMetricsSinkTests
{
    private static readonly EpisodeReport _episode = new(42, 1.0, new(1.0, 42, 1.0));

    [Fact]
    public void Write_FansOutToEverySinkInOrder()
    {
        var log = new List<string>();
        using (var composite = new CompositeMetricsSink(new RecordingSink("a", log), new RecordingSink("b", log)))
        {
            composite.WriteEpisode(_episode);
            composite.Write(SampleReports.Simulator());
        }

        Assert.Equal(
            ["a.WriteEpisode(42)", "b.WriteEpisode(42)", "a.Write(2048)", "b.Write(2048)", "a.Dispose", "b.Dispose"],
            log);
    }

    [Fact]
    public void Write_OneSinkFails_OthersStillWriteAndTheFailureSurfaces()
    {
        var log = new List<string>();
        var failure = new IOException("disk full");
        var composite = new CompositeMetricsSink(new RecordingSink("a", log, failure), new RecordingSink("b", log));

        var thrown = Assert.Throws<IOException>(() => composite.Write(SampleReports.Simulator()));

        Assert.Same(failure, thrown);
        Assert.Equal(["a.Write(2048)", "b.Write(2048)"], log);
    }

    [Fact]
    public void WriteEpisode_TwoSinksFail_ThrowsAggregateOfBoth()
    {
        var log = new List<string>();
        var first = new IOException("first");
        var second = new InvalidOperationException("second");
        var composite = new CompositeMetricsSink(new RecordingSink("a", log, first), new RecordingSink("b", log, second));

        var thrown = Assert.Throws<AggregateException>(() => composite.WriteEpisode(_episode));

        Assert.Equal([first, second], thrown.InnerExceptions);
    }

    [Fact]
    public void Dispose_OneSinkFails_StillDisposesTheRest()
    {
        var log = new List<string>();
        var composite = new CompositeMetricsSink(new RecordingSink("a", log, new IOException("x")), new RecordingSink("b", log));

        Assert.Throws<IOException>(composite.Dispose);
        composite.Dispose();

        Assert.Equal(["a.Dispose", "b.Dispose"], log);
    }

    [Fact]
    public void Write_AfterDispose_Throws()
    {
        var composite = new CompositeMetricsSink(new RecordingSink("a", []));
        composite.Dispose();

        Assert.Throws<ObjectDisposedException>(() => composite.Write(SampleReports.Simulator()));
        Assert.Throws<ObjectDisposedException>(() => composite.WriteEpisode(_episode));
    }

    [Fact]
    public void Constructor_NullSink_ThrowsNamingItsIndex()
    {
        var error = Assert.Throws<ArgumentException>(() => new CompositeMetricsSink(new RecordingSink("a", []), null!));
        Assert.Contains("index 1", error.Message);
    }

    [Fact]
    public void Sinks_AreKeptInOrder()
    {
        var a = new RecordingSink("a", []);
        var b = new RecordingSink("b", []);
        using var composite = new CompositeMetricsSink([a, b]);

        Assert.Equal([a, b], composite.Sinks);
    }
}
