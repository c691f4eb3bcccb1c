using Tempo.Core.Envs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Timing;

/// <summary>Paces any env at a fixed wall-clock step period, as rtgym does: a late agent stretches its step instead of being caught up.</summary>
/// <remarks>
/// <para>
/// Each period ends at a deadline. <see cref="Step"/> waits until the deadline of the current period (the step
/// boundary), then steps the inner env: the action is applied at the boundary and the observation returned is the
/// one at the end of the period the agent was thinking in. The next period starts at that boundary, so the
/// agent's computation overlaps the period and a punctual agent acts exactly every <see cref="StepPeriod"/>. A
/// simulator steps at once; a live env's Step applies the action at its next world tick and returns after it.
/// </para>
/// <para>
/// Elastic overruns: when Step is called after the deadline, it does not wait, the new period starts now, and the
/// overrun is counted with its lateness (<see cref="Statistics"/>); later deadlines shift by the lateness rather
/// than being compressed to catch up. <see cref="Reset"/> and <see cref="Resume"/> start a fresh period, so neither
/// the reset nor a pause counts as lateness.
/// </para>
/// <para>
/// With <see cref="ActionHistory{TAction}"/>: either order gives the same observations, because the history only
/// appends the actions and the clock only changes when they are applied. Put the clock directly over the env
/// (<c>ActionHistory(RealTimeClock(env))</c>) so that the wrappers' own work happens before the wait and the
/// action reaches the env right at the deadline.
/// </para>
/// </remarks>
public sealed class RealTimeClock<TObservation, TAction> : EnvWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly IDeadlineWaiter _waiter;
    private readonly TimeProvider _time;
    private readonly long _periodTimestamps;
    private readonly DurationRecorder _lateness;
    private long _deadline;
    private bool _hasDeadline;
    private long _steps;
    private long _overruns;

    /// <summary>Paces <paramref name="inner"/> on <paramref name="timeProvider"/> (default <see cref="TimeProvider.System"/>), waiting precisely.</summary>
    /// <param name="inner">The env to pace.</param>
    /// <param name="options">Step period and statistics window; null for the defaults.</param>
    /// <param name="timeProvider">The wall clock.</param>
    public RealTimeClock(IEnv<TObservation, TAction> inner, RealTimeClockOptions? options = null, TimeProvider? timeProvider = null)
        : this(inner, options, new PreciseDeadlineWaiter(timeProvider))
    {
    }

    /// <summary>Paces <paramref name="inner"/>, waiting for deadlines with <paramref name="waiter"/> on its clock.</summary>
    /// <param name="inner">The env to pace.</param>
    /// <param name="options">Step period and statistics window; null for the defaults.</param>
    /// <param name="waiter">Waits for deadlines; its <see cref="IDeadlineWaiter.TimeProvider"/> is the wall clock.</param>
    public RealTimeClock(IEnv<TObservation, TAction> inner, RealTimeClockOptions? options, IDeadlineWaiter waiter)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(waiter);
        options ??= new RealTimeClockOptions();
        options.Validate();
        Options = options;
        _waiter = waiter;
        _time = waiter.TimeProvider;
        _periodTimestamps = Math.Max(1, (long)Math.Round(options.StepPeriod.TotalSeconds * _time.TimestampFrequency));
        _lateness = new DurationRecorder(options.LatenessWindow);
    }

    /// <summary>The settings this clock was created with.</summary>
    public RealTimeClockOptions Options { get; }

    /// <summary>The wall-clock length of one step.</summary>
    public TimeSpan StepPeriod => Options.StepPeriod;

    /// <summary>Steps, overruns and lateness so far; safe to read from another thread.</summary>
    public DeadlineStatistics Statistics
    {
        get
        {
            _lateness.Summarize(out var window, out var run);
            return new DeadlineStatistics(Volatile.Read(ref _steps), Volatile.Read(ref _overruns), run.Max, window, run);
        }
    }

    /// <summary>Starts a new window for <see cref="DeadlineStatistics.WindowLateness"/>; counts and run figures are kept.</summary>
    public void ResetStatisticsWindow() => _lateness.ResetWindow();

    /// <inheritdoc/>
    public override void Reset(Span<TObservation> observation, int? seed = null)
    {
        Inner.Reset(observation, seed);
        StartPeriod();
    }

    /// <summary>Waits for the step boundary (or, when late, counts the overrun and starts the period now), then steps the inner env.</summary>
    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation)
    {
        if (!_hasDeadline)
        {
            // Before the first reset or after the episode ended: no schedule; the inner env reports the misuse.
            return Inner.Step(action, observation);
        }

        var now = _time.GetTimestamp();
        long boundary;
        if (now <= _deadline)
        {
            _waiter.WaitUntil(_deadline);
            boundary = _deadline;
        }
        else
        {
            _lateness.Record(_time.GetElapsedTime(_deadline, now));
            Interlocked.Increment(ref _overruns);
            boundary = now;
        }

        var result = Inner.Step(action, observation);
        Interlocked.Increment(ref _steps);
        _deadline = boundary + _periodTimestamps;
        _hasDeadline = !result.IsDone;
        return result;
    }

    /// <summary>Resumes the inner env and starts a fresh period, so that the pause is not counted as lateness.</summary>
    /// <inheritdoc/>
    public override void Resume(Span<TObservation> observation)
    {
        base.Resume(observation);
        if (_hasDeadline)
        {
            StartPeriod();
        }
    }

    private void StartPeriod()
    {
        _deadline = _time.GetTimestamp() + _periodTimestamps;
        _hasDeadline = true;
    }
}
