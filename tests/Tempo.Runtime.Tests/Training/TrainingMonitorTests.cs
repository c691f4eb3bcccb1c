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
        Assert.Same(statistics, report.Learner);

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

    private static EpisodeEnded Episode(long actorSteps, double episodeReturn, int length = 10) =>
        new(new ActorId(0), 0, actorSteps, new EpisodeStatistics(episodeReturn, length, 0.1));

    private static LearnerStatistics Statistics(long version) => new()
    {
        LearningRate = 2.5e-4,
        PolicyLoss = -0.1,
        ValueLoss = 3,
        Entropy = 0.69,
        PolicyVersion = version,
    };
}
