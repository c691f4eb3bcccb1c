using Tempo.Algorithms.Learners;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Schedules;

namespace Tempo.Runtime.Training;

/// <summary>Turns a run's events into metrics: episode windows, periodic reports to the sinks, the solved line.</summary>
/// <remarks>
/// <para>Implements the training callbacks so any schedule can drive it. Not thread-safe: the synchronous schedule
/// calls it from one thread; asynchronous schedules must marshal actor events to one thread first.</para>
/// <para>A report's SPS is the env steps the actors took since the previous report over the wall time since it. In
/// the synchronous schedule every update follows a rollout, so one report per update is right. In an asynchronous
/// one the global step moves when an actor hands over a segment, not when the learner updates: while the learner
/// drains queued segments several updates see the same step, and a report per update would repeat it with SPS 0
/// (then overstate the next). There, set <see cref="ReportInterval"/>: a report is written only once that much wall
/// time has passed and the step has moved, and <see cref="Flush"/> writes the last one at the end of the run.</para>
/// <para>Between an update and its report the monitor holds the learner's own statistics instance, which only the
/// learner's next update overwrites (and that update's callback replaces it first). Reporting allocates nothing in
/// steady state, since a collection would pause the actors: the monitor fills one <see cref="TrainingReport"/> and one
/// copy of the statistics in place for every report, so a sink that keeps a report past its write keeps a
/// <see cref="TrainingReport.Copy"/>.</para>
/// </remarks>
public sealed class TrainingMonitor : ITrainingCallbacks
{
    private readonly IMetricsSink _sinks;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly EpisodeWindow _window = new();
    private readonly SolvedDetector? _solved;
    private readonly Action<string> _announce;
    private readonly long _stepOffset;
    private readonly long _episodeOffset;
    private readonly double _wallTimeOffsetSeconds;
    private long _globalStep;
    private long _lastReportStep;
    private long _lastReportTimestamp;
    private long _updatesSinceReport;
    private LearnerStatistics? _pendingStatistics;

    // The one report every write fills, and its copy of the statistics; made with the first report.
    private TrainingReport? _report;
    private LearnerStatistics? _reportedStatistics;

    /// <summary>Creates a monitor writing to <paramref name="sinks"/>.</summary>
    /// <param name="sinks">Where reports and episodes go.</param>
    /// <param name="time">The clock.</param>
    /// <param name="targetReturn">Stop once the mean return of the last 20 episodes reaches this; null to never stop early.</param>
    /// <param name="announce">Prints a line for people (the solved line).</param>
    /// <param name="stepOffset">Env steps done before this process started (a resumed run).</param>
    /// <param name="episodeOffset">Episodes finished before this process started (a resumed run).</param>
    /// <param name="wallTimeOffsetSeconds">Seconds the run trained before this process started (a resumed run).</param>
    public TrainingMonitor(IMetricsSink sinks, TimeProvider time, double? targetReturn, Action<string> announce, long stepOffset = 0, long episodeOffset = 0, double wallTimeOffsetSeconds = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(episodeOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(wallTimeOffsetSeconds);
        _sinks = sinks ?? throw new ArgumentNullException(nameof(sinks));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _announce = announce ?? throw new ArgumentNullException(nameof(announce));
        _solved = targetReturn is { } target ? new SolvedDetector(target) : null;
        _stepOffset = stepOffset;
        _episodeOffset = episodeOffset;
        _wallTimeOffsetSeconds = wallTimeOffsetSeconds;
        _startTimestamp = time.GetTimestamp();
        _lastReportTimestamp = _startTimestamp;
        _lastReportStep = stepOffset;
        _globalStep = stepOffset;
    }

    /// <summary>Fills in what only the composition root knows (action gaps of live envs, async counters) on each report before it is written; null adds nothing.</summary>
    /// <remarks>It sets the report's fields in place, allocating nothing; the fields it sets keep their values until it sets them again.</remarks>
    public Action<TrainingReport>? Enrich { get; init; }

    /// <summary>The least wall time between two reports; zero (the default) reports after every update whose step moved.</summary>
    public TimeSpan ReportInterval
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(ReportInterval));
            field = value;
        }
    }

    /// <summary>Whether the target return was reached; the run should stop.</summary>
    public bool IsSolved => _solved?.IsSolved ?? false;

    /// <summary>When and where the target was reached, if it was.</summary>
    public EpisodeReport? SolvedAt => _solved?.SolvedAt;

    /// <summary>Episodes finished over the run's whole life (resumes included).</summary>
    public long Episodes => _episodeOffset + _window.TotalEpisodes;

    /// <summary>Mean return of the last 20 episodes.</summary>
    public double? ReturnMean => _window.ReturnMean;

    /// <summary>Seconds the run has trained over its whole life: before this process (a resumed run) and since the monitor started.</summary>
    public double WallTimeSeconds => _wallTimeOffsetSeconds + _time.GetElapsedTime(_startTimestamp).TotalSeconds;

    /// <summary>The mean return of the last 20 episodes when the target was reached; null until then.</summary>
    public double? SolvedReturnMean => _solved?.SolvedReturnMean;

    /// <inheritdoc/>
    public void OnEpisodeEnded(in EpisodeEnded episode)
    {
        _window.Add(episode.Statistics);
        var report = new EpisodeReport(_stepOffset + episode.Step, WallTimeSeconds, episode.Statistics);
        _sinks.WriteEpisode(report);
        if (_solved is not null && _solved.Observe(report))
        {
            _announce(_solved.SolvedLine);
        }
    }

    /// <inheritdoc/>
    public void OnRolloutEnded(in RolloutEnded rollout) => _globalStep = _stepOffset + rollout.GlobalStep;

    /// <inheritdoc/>
    public void OnUpdateFinished(in UpdateFinished update)
    {
        _updatesSinceReport++;
        _globalStep = _stepOffset + update.GlobalStep;
        _pendingStatistics = update.Statistics;
        var now = _time.GetTimestamp();
        if (_globalStep > _lastReportStep && _time.GetElapsedTime(_lastReportTimestamp, now) >= ReportInterval)
        {
            WriteReport(now);
        }
    }

    /// <summary>Writes the report held back by <see cref="ReportInterval"/>, if an update finished and the step moved since the last one; call at the end of a run.</summary>
    public void Flush()
    {
        if (_pendingStatistics is not null && _globalStep > _lastReportStep)
        {
            WriteReport(_time.GetTimestamp());
        }
    }

    private void WriteReport(long now)
    {
        var statistics = _pendingStatistics!;
        var seconds = Math.Max(_time.GetElapsedTime(_lastReportTimestamp, now).TotalSeconds, 1e-9);
        var report = _report ??= new TrainingReport { GlobalStep = 0, WallTimeSeconds = 0, Episodes = 0, StepsPerSecond = 0 };
        report.GlobalStep = _globalStep;
        report.WallTimeSeconds = _wallTimeOffsetSeconds + _time.GetElapsedTime(_startTimestamp, now).TotalSeconds;
        report.Episodes = _episodeOffset + _window.TotalEpisodes;
        report.EpisodicReturnMean = _window.ReturnMean;
        report.EpisodicLengthMean = _window.LengthMean;
        report.EpisodicXReachedMean = _window.XReachedMean;
        report.StepsPerSecond = (_globalStep - _lastReportStep) / seconds;
        report.LearnerUpdatesPerSecond = _updatesSinceReport / seconds;
        report.Learner = KeepCopy(statistics);
        report.PolicyLagMean = statistics.PolicyLag?.Mean;
        report.PolicyLagMax = statistics.PolicyLag?.Max;
        Enrich?.Invoke(report);
        _sinks.Write(report);
        _lastReportStep = _globalStep;
        _lastReportTimestamp = now;
        _updatesSinceReport = 0;
        _pendingStatistics = null;
    }

    /// <summary>The monitor's copy of <paramref name="statistics"/>, overwritten in place once it exists (a learner's names never change).</summary>
    private LearnerStatistics KeepCopy(LearnerStatistics statistics)
    {
        if (_reportedStatistics is { } kept && ReferenceEquals(kept.Names, statistics.Names))
        {
            statistics.CopyTo(kept);
            return kept;
        }

        return _reportedStatistics = statistics.Copy();
    }
}
