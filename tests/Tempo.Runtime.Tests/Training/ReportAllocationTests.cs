using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Core.Envs;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Metrics.TensorBoard;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Tests.Metrics;
using Tempo.Runtime.Training;
using Tempo.Tests.Shared;

namespace Tempo.Runtime.Tests.Training;

/// <summary>
/// The report path allocates nothing after warm-up: in a synchronous run it runs after every update, so a report that
/// allocated would make the learner thread collect, and a collection pauses the actors.
/// </summary>
public sealed class ReportAllocationTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void OnUpdateFinished_ReportToCsvAndTensorBoard_AllocatesNothingAfterWarmUp()
    {
        using var sinks = new CompositeMetricsSink(
            CsvMetricsSink.Open(_directory.File("metrics.csv"), FileMode.Create),
            TensorBoardMetricsSink.Create(_directory.Path, _time, "host"));
        var monitor = new TrainingMonitor(sinks, _time, targetReturn: 500, _ => { })
        {
            // As the runs enrich: fields set in place on every report.
            Enrich = report => report.SegmentsDroppedStale = report.GlobalStep / 1000,
        };
        var statistics = new LearnerStatistics(ActorCriticStatistics.LearningRate, ActorCriticStatistics.PolicyLoss, ActorCriticStatistics.ValueLoss);
        var update = 0L;

        // Every iteration an episode ends and the learner overwrites its statistics with values of varying text length.
        var bytes = Allocations.OnThisThread(
            () =>
            {
                update++;
                _time.Advance(TimeSpan.FromMilliseconds(37));
                monitor.OnEpisodeEnded(new EpisodeEnded(new ActorId(0), 0, update * 512, new EpisodeStatistics(update % 200, (int)(update % 200) + 1, 0.1)));
                statistics[0] = 2.5e-4 / update;
                statistics[1] = -0.1 * update;
                statistics[2] = Math.PI * update;
                statistics.PolicyVersion = update;
                statistics.GradientSteps = 16;
                monitor.OnUpdateFinished(new UpdateFinished(update, update * 512, statistics));
            },
            warmUp: 50,
            repetitions: 200);

        Assert.Equal(0, bytes);
        Assert.Equal(50 + (3 * 200) + 1, File.ReadAllLines(sinks.Sinks.OfType<CsvMetricsSink>().Single().Path).Length);
    }

    [Fact]
    public void OnUpdateFinished_EveryReport_IsTheMonitorsOneInstanceWithItsOwnStatistics()
    {
        var written = new List<(TrainingReport Report, LearnerStatistics? Learner)>();
        using var sink = new InstanceSink(written);
        var monitor = new TrainingMonitor(sink, _time, targetReturn: null, _ => { });
        var owned = new LearnerStatistics("losses/a");

        for (var update = 1; update <= 3; update++)
        {
            owned[0] = update;
            _time.Advance(TimeSpan.FromSeconds(1));
            monitor.OnUpdateFinished(new UpdateFinished(update, update * 100, owned));
        }

        Assert.All(written, w => Assert.Same(written[0].Report, w.Report));
        Assert.All(written, w => Assert.Same(written[0].Learner, w.Learner));
        Assert.NotSame(owned, written[0].Learner);
        Assert.Equal(3, written[0].Learner!["losses/a"]);
    }

    private sealed class InstanceSink(List<(TrainingReport, LearnerStatistics?)> written) : IMetricsSink
    {
        public void Write(TrainingReport report) => written.Add((report, report.Learner));

        public void WriteEpisode(EpisodeReport episode)
        {
        }

        public void Dispose()
        {
        }
    }
}
