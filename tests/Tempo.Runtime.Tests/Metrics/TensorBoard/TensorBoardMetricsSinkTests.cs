using Tempo.Core.Envs;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Metrics.TensorBoard;

namespace Tempo.Runtime.Tests.Metrics.TensorBoard;

public sealed class TensorBoardMetricsSinkTests : IDisposable
{
    // 2023-11-14T22:13:20.25Z.
    private static readonly DateTimeOffset _start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250);

    private readonly TemporaryDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(_start);

    public void Dispose() => _directory.Dispose();

    private TensorBoardMetricsSink CreateSink() => TensorBoardMetricsSink.Create(_directory.Path, _clock, "testhost");

    [Fact]
    public void Create_NamesTheFileAfterUnixSecondsAndHost()
    {
        using var sink = CreateSink();

        Assert.Equal(_directory.File("events.out.tfevents.1700000000.testhost"), sink.Path);
        Assert.True(File.Exists(sink.Path));
    }

    [Fact]
    public void Create_FirstEventCarriesTheFileVersion()
    {
        using var sink = CreateSink();

        var first = Assert.Single(EventFileReader.Read(sink.Path));
        Assert.Equal("brain.Event:2", first.FileVersion);
        Assert.Equal(1_700_000_000.25, first.WallTime);
        Assert.Null(first.Values);
    }

    [Fact]
    public void Write_FullReport_WritesEveryFieldUnderItsTagAtTheGlobalStep()
    {
        using (var sink = CreateSink())
        {
            _clock.Advance(TimeSpan.FromSeconds(29.5));
            sink.Write(SampleReports.Full());
        }

        var events = EventFileReader.Read(_directory.File("events.out.tfevents.1700000000.testhost"));
        Assert.Equal(2, events.Count);
        var report = events[1];
        Assert.Equal(187_700, report.Step);
        Assert.Equal(1_700_000_029.75, report.WallTime);
        Assert.Null(report.FileVersion);
        Assert.Equal(475.25f, report.Value("charts/episodic_return_mean"));
        Assert.Equal(475.25f, report.Value("charts/episodic_length_mean"));
        Assert.Equal(1234f, report.Value("charts/episodes"));
        Assert.Equal(6993.5f, report.Value("charts/SPS"));
        Assert.Equal(12.5f, report.Value("charts/learner_updates_per_s"));
        Assert.Equal(2.5e-4f, report.Value("charts/learning_rate"));
        Assert.Equal(91f, report.Value("charts/policy_version"));
        Assert.Equal(8f, report.Value("charts/gradient_steps"));
        Assert.Equal(-0.0123f, report.Value("losses/policy_loss"));
        Assert.Equal(17.75f, report.Value("losses/value_loss"));
        Assert.Equal(0.5625f, report.Value("losses/entropy"));
        Assert.Equal(0.0071f, report.Value("losses/approx_kl"));
        Assert.Equal(0.09375f, report.Value("losses/clipfrac"));
        Assert.Equal(0.875f, report.Value("losses/explained_variance"));
        Assert.Equal(0.3125f, report.Value("losses/grad_norm"));
        Assert.Equal(50.125f, report.Value("live/action_gap_p50_ms"));
        Assert.Equal(52.75f, report.Value("live/action_gap_p99_ms"));
        Assert.Equal(81.5f, report.Value("live/action_gap_max_ms"));
        Assert.Equal(3f, report.Value("live/deadline_overruns"));
        Assert.Equal(1.4f, report.Value("async/policy_lag_mean"));
        Assert.Equal(4f, report.Value("async/policy_lag_max"));
        Assert.Equal(5f, report.Value("async/segments_dropped_stale"));
        Assert.Equal(6f, report.Value("async/segments_dropped_queue_full"));
        Assert.Equal(23, report.Values!.Count);
    }

    [Fact]
    public void Write_StatisticsOfAnotherLearner_TagsEachUnderItsName()
    {
        // A learner's own statistics (a SAC-like learner here) become scalars without changes to the sink.
        var sac = SampleReports.Statistics(
            40, 2, ("losses/qf1_loss", 1.5), ("losses/qf2_loss", 1.25), ("losses/actor_loss", -3.5), ("losses/alpha", 0.2), ("losses/alpha_loss", double.NaN));
        using (var sink = CreateSink())
        {
            sink.Write(SampleReports.Simulator() with { Learner = sac });
        }

        var report = EventFileReader.Read(_directory.File("events.out.tfevents.1700000000.testhost"))[1];
        Assert.Equal(
            ["charts/episodes", "charts/SPS", "charts/policy_version", "charts/gradient_steps", "losses/qf1_loss", "losses/qf2_loss", "losses/actor_loss", "losses/alpha", "losses/alpha_loss"],
            report.Values!.Select(value => value.Tag));
        Assert.Equal(40f, report.Value("charts/policy_version"));
        Assert.Equal(2f, report.Value("charts/gradient_steps"));
        Assert.Equal(1.25f, report.Value("losses/qf2_loss"));
        Assert.Equal(-3.5f, report.Value("losses/actor_loss"));
        Assert.Equal(0.2f, report.Value("losses/alpha"));
        Assert.True(float.IsNaN(report.Value("losses/alpha_loss")));
    }

    [Fact]
    public void Write_SimulatorReport_LeavesOutNullFields()
    {
        using var sink = CreateSink();
        sink.Write(SampleReports.Simulator());

        var report = EventFileReader.Read(sink.Path)[1];
        Assert.Equal(2048, report.Step);
        Assert.Equal(["charts/episodes", "charts/SPS"], report.Values!.Select(value => value.Tag));
    }

    [Fact]
    public void Write_Report_IsReadableBeforeDispose()
    {
        using var sink = CreateSink();
        sink.Write(SampleReports.Simulator());
        sink.Write(SampleReports.Full());

        Assert.Equal([0L, 2048L, 187_700L], EventFileReader.Read(sink.Path).Select(e => e.Step));
    }

    [Fact]
    public void WriteEpisode_WritesReturnAndLengthAtTheEpisodeStep_AsCleanRLDoes()
    {
        using (var sink = CreateSink())
        {
            sink.WriteEpisode(new EpisodeReport(512, 0.3, new EpisodeStatistics(21.5, 22, 0.1)));
            sink.WriteEpisode(new EpisodeReport(600, 0.4, new EpisodeStatistics(-3.25, 88, 0.1)));
        }

        var events = EventFileReader.Read(_directory.File("events.out.tfevents.1700000000.testhost"));
        Assert.Equal(3, events.Count);
        Assert.Equal(512, events[1].Step);
        Assert.Equal([(MetricNames.EpisodicReturn, 21.5f), (MetricNames.EpisodicLength, 22f)], events[1].Values!);
        Assert.Equal(600, events[2].Step);
        Assert.Equal([("charts/episodic_return", -3.25f), ("charts/episodic_length", 88f)], events[2].Values!);
    }

    [Fact]
    public void Create_SameSecondAndHostTwice_WritesASecondFileInsteadOfOverwriting()
    {
        using var first = CreateSink();
        first.Write(SampleReports.Simulator());

        using var second = CreateSink();

        Assert.NotEqual(first.Path, second.Path);
        Assert.Contains("tfevents", Path.GetFileName(second.Path), StringComparison.Ordinal);
        Assert.Equal(2, EventFileReader.Read(first.Path).Count);
    }

    [Fact]
    public void Create_MissingDirectory_CreatesIt()
    {
        var nested = Path.Combine(_directory.Path, "run", "tensorboard");
        using var sink = TensorBoardMetricsSink.Create(nested, _clock, "testhost");

        Assert.StartsWith(nested, sink.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad/host")]
    public void Create_UnusableHostName_Throws(string hostName)
    {
        Assert.ThrowsAny<ArgumentException>(() => TensorBoardMetricsSink.Create(_directory.Path, _clock, hostName));
    }

    [Fact]
    public void Write_AfterDispose_Throws()
    {
        var sink = CreateSink();
        sink.Dispose();
        sink.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sink.Write(SampleReports.Simulator()));
        Assert.Throws<ObjectDisposedException>(() => sink.WriteEpisode(default));
    }
}
