using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Core.Envs;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Tests.Metrics;
using Tempo.Runtime.Training;

namespace Tempo.Runtime.Tests.Training;

public sealed class TrainingMonitorTests : IDisposable
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CapturingSink _sink = new();
    private readonly List<string> _announced = [];

    public void Dispose() => _sink.Dispose();

    [Fact]
    public void OnEpisodeEnded_WritesTheEpisodeAtTheActorsStepAndWallTime()
    {
        var monitor = new TrainingMonitor(_sink, _time, targetReturn: null, _announced.Add);
        _time.Advance(TimeSpan.FromSeconds(1.5));

        monitor.OnEpisodeEnded(Episode(actorSteps: 40, episodeReturn: 12));

        var written = Assert.Single(_sink.Episodes);
        Assert.Equal(40, written.GlobalStep);
        Assert.Equal(1.5, written.WallTimeSeconds, 9);
        Assert.Equal(12, written.Statistics.Return);
        Assert.Equal(1, monitor.Episodes);
        Assert.Equal(12, monitor.ReturnMean);
    }

    [Fact]
    public void OnUpdateFinished_WritesOneReportWithWindowMeansAndRates()
    {
        var monitor = new TrainingMonitor(_sink, _time, targetReturn: null, _announced.Add);
        for (var i = 1; i <= 25; i++)
        {
            monitor.OnEpisodeEnded(Episode(actorSteps: i * 10, episodeReturn: i, length: 2 * i));
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        monitor.OnRolloutEnded(new RolloutEnded(1, 512));
        var statistics = Statistics(version: 1);
        monitor.OnUpdateFinished(new UpdateFinished(1, 512, statistics));

        var report = Assert.Single(_sink.Reports);
        Assert.Equal(512, report.GlobalStep);
        Assert.Equal(25, report.Episodes);

        // The last 20 episodes are 6 … 25.
        Assert.Equal(Enumerable.Range(6, 20).Average(), report.EpisodicReturnMean!.Value, 9);
        Assert.Equal(2 * Enumerable.Range(6, 20).Average(), report.EpisodicLengthMean!.Value, 9);
        Assert.Equal(256, report.StepsPerSecond, 9);
        Assert.Equal(0.5, report.LearnerUpdatesPerSecond!.Value, 9);
        Assert.Equal(2, report.WallTimeSeconds, 9);
        // The report owns a copy: the learner overwrites its own instance on the next update.
        Assert.NotSame(statistics, report.Learner);
        Assert.Equal(statistics.Names, report.Learner!.Names);
        Assert.Equal(statistics.Values.ToArray(), report.Learner.Values.ToArray());
        Assert.Equal(statistics.PolicyVersion, report.Learner.PolicyVersion);

        // The next report's rate counts only the steps since this one.
        _time.Advance(TimeSpan.FromSeconds(4));
        monitor.OnUpdateFinished(new UpdateFinished(2, 1024, Statistics(version: 2)));
        Assert.Equal(128, _sink.Reports[1].StepsPerSecond, 9);
        Assert.Equal(6, _sink.Reports[1].WallTimeSeconds, 9);
    }

    [Fact]
    public void OnEpisodeEnded_TargetReached_AnnouncesExactlyOneSolvedLine()
    {
        var monitor = new TrainingMonitor(_sink, _time, targetReturn: 100, _announced.Add);
        for (var i = 1; i <= 19; i++)
        {
            monitor.OnEpisodeEnded(Episode(actorSteps: i * 100, episodeReturn: 200));
        }

        // 19 episodes are not a full window, however good.
        Assert.False(monitor.IsSolved);
        Assert.Empty(_announced);

        _time.Advance(TimeSpan.FromSeconds(3.25));
        monitor.OnEpisodeEnded(Episode(actorSteps: 2000, episodeReturn: 200));
        monitor.OnEpisodeEnded(Episode(actorSteps: 2100, episodeReturn: 200));

        Assert.True(monitor.IsSolved);
        Assert.Equal(["solved: step=2000 wall_s=3.25"], _announced);
        Assert.Equal(2000, monitor.SolvedAt!.Value.GlobalStep);
    }

    [Fact]
    public void OnEpisodeEnded_NoTarget_NeverSolves()
    {
        var monitor = new TrainingMonitor(_sink, _time, targetReturn: null, _announced.Add);
        for (var i = 1; i <= 30; i++)
        {
            monitor.OnEpisodeEnded(Episode(actorSteps: i, episodeReturn: 1e6));
        }

        Assert.False(monitor.IsSolved);
        Assert.Null(monitor.SolvedAt);
        Assert.Empty(_announced);
    }

    [Fact]
    public void StepOffset_ResumedRun_CountsStepsFromTheOffset()
    {
        var monitor = new TrainingMonitor(_sink, _time, targetReturn: null, _announced.Add, stepOffset: 10_000);

        monitor.OnEpisodeEnded(Episode(actorSteps: 40, episodeReturn: 1));
        _time.Advance(TimeSpan.FromSeconds(1));
        monitor.OnUpdateFinished(new UpdateFinished(1, 100, Statistics(version: 1)));

        Assert.Equal(10_040, _sink.Episodes[0].GlobalStep);
        Assert.Equal(10_100, _sink.Reports[0].GlobalStep);
        Assert.Equal(100, _sink.Reports[0].StepsPerSecond, 9);
    }

    [Fact]
    public void OnUpdateFinished_StepUnchangedSinceTheLastReport_WritesNoSecondReport()
    {
        // An asynchronous learner that drains queued segments finishes updates while no actor has stepped.
        var monitor = new TrainingMonitor(_sink, _time, targetReturn: null, _announced.Add);
        _time.Advance(TimeSpan.FromSeconds(1));
        monitor.OnUpdateFinished(new UpdateFinished(1, 500, Statistics(version: 1)));
        _time.Advance(TimeSpan.FromMilliseconds(5));
        monitor.OnUpdateFinished(new UpdateFinished(2, 500, Statistics(version: 2)));
        monitor.OnUpdateFinished(new UpdateFinished(3, 500, Statistics(version: 3)));

        Assert.Single(_sink.Reports);

        // The next report covers the whole time since the last one, and the updates held back.
        _time.Advance(TimeSpan.FromMilliseconds(995));
        monitor.OnUpdateFinished(new UpdateFinished(4, 700, Statistics(version: 4)));
        Assert.Equal(2, _sink.Reports.Count);
        Assert.Equal(200, _sink.Reports[1].StepsPerSecond, 9);
        Assert.Equal(3, _sink.Reports[1].LearnerUpdatesPerSecond!.Value, 9);
        Assert.Equal(4, _sink.Reports[1].Learner!.PolicyVersion);
    }

    [Fact]
    public void OnUpdateFinished_WithReportInterval_ReportsOncePerIntervalWithRatesOverIt()
    {
        var monitor = new TrainingMonitor(_sink, _time, targetReturn: null, _announced.Add) { ReportInterval = TimeSpan.FromSeconds(1) };

        // Updates every 0.25 s while the actors take 100 steps per 0.25 s.
        for (var update = 1; update <= 8; update++)
        {
            _time.Advance(TimeSpan.FromSeconds(0.25));
            monitor.OnUpdateFinished(new UpdateFinished(update, update * 100, Statistics(version: update)));
        }

        Assert.Equal([400L, 800L], _sink.Reports.Select(r => r.GlobalStep));
        Assert.All(_sink.Reports, r => Assert.Equal(400, r.StepsPerSecond, 9));
        Assert.All(_sink.Reports, r => Assert.Equal(4, r.LearnerUpdatesPerSecond!.Value, 9));
        Assert.Equal([4L, 8L], _sink.Reports.Select(r => r.Learner!.PolicyVersion));
    }

    [Fact]
    public void OnUpdateFinished_LearnerOverwritingOneInstance_EachReportKeepsItsOwnCopy()
    {
        // Learners own one statistics instance and overwrite it; reports must not change when the learner moves on.
        var monitor = new TrainingMonitor(_sink, _time, targetReturn: null, _announced.Add);
        var owned = new LearnerStatistics("losses/td_loss");
        for (var update = 1; update <= 3; update++)
        {
            owned[0] = update / 10.0;
            owned.PolicyVersion = update;
            owned.PolicyLag = new PolicyLag(update * 0.5, update);
            _time.Advance(TimeSpan.FromSeconds(1));
            monitor.OnUpdateFinished(new UpdateFinished(update, update * 100, owned));
        }

        Assert.Equal([0.1, 0.2, 0.3], _sink.Reports.Select(r => r.Learner!["losses/td_loss"]));
        Assert.Equal([1L, 2L, 3L], _sink.Reports.Select(r => r.Learner!.PolicyVersion));
        Assert.Equal([0.5, 1.0, 1.5], _sink.Reports.Select(r => r.PolicyLagMean!.Value));
        Assert.Equal([1L, 2L, 3L], _sink.Reports.Select(r => r.PolicyLagMax!.Value));
        Assert.All(_sink.Reports, r => Assert.NotSame(owned, r.Learner));
    }

    [Fact]
    public void Flush_UpdateHeldBackByTheInterval_WritesItOnce()
    {
        var monitor = new TrainingMonitor(_sink, _time, targetReturn: null, _announced.Add) { ReportInterval = TimeSpan.FromSeconds(1) };
        _time.Advance(TimeSpan.FromSeconds(0.5));
        monitor.OnUpdateFinished(new UpdateFinished(1, 300, Statistics(version: 1)));
        Assert.Empty(_sink.Reports);

        monitor.Flush();
        monitor.Flush();

        var report = Assert.Single(_sink.Reports);
        Assert.Equal(300, report.GlobalStep);
        Assert.Equal(600, report.StepsPerSecond, 9);
    }

    [Fact]
    public void Flush_NothingSinceTheLastReport_WritesNothing()
    {
        var monitor = new TrainingMonitor(_sink, _time, targetReturn: null, _announced.Add);
        monitor.Flush();
        _time.Advance(TimeSpan.FromSeconds(1));
        monitor.OnUpdateFinished(new UpdateFinished(1, 300, Statistics(version: 1)));
        monitor.OnUpdateFinished(new UpdateFinished(2, 300, Statistics(version: 2)));

        monitor.Flush();

        Assert.Single(_sink.Reports);
    }

    [Fact]
    public void ReportInterval_Negative_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingMonitor(_sink, _time, null, _announced.Add) { ReportInterval = TimeSpan.FromSeconds(-1) });

        Assert.Equal(nameof(TrainingMonitor.ReportInterval), error.ParamName);
    }

    private static EpisodeEnded Episode(long actorSteps, double episodeReturn, int length = 10) =>
        new(new ActorId(0), 0, actorSteps, new EpisodeStatistics(episodeReturn, length, 0.1));

    private static LearnerStatistics Statistics(long version)
    {
        var statistics = new LearnerStatistics(ActorCriticStatistics.LearningRate, ActorCriticStatistics.PolicyLoss, ActorCriticStatistics.ValueLoss, ActorCriticStatistics.Entropy)
        {
            PolicyVersion = version,
        };
        statistics[0] = 2.5e-4;
        statistics[1] = -0.1;
        statistics[2] = 3;
        statistics[3] = 0.69;
        return statistics;
    }
}
