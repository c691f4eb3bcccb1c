using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Timing;

namespace Tempo.Core.Wrappers;

/// <summary>Records the action gap: the wall-clock time between consecutive actions reaching the inner env.</summary>
/// <remarks>
/// <para>
/// Any env can wear it; on a live env (a simulated world or a real game) it is the figure that must stay near the
/// step period. Wear it directly over the env, so that the time other wrappers take is counted where the agent
/// spends it: an action "reaches the env" when Step (or Submit) is called on this wrapper. Gaps go into a
/// <see cref="DurationRecorder"/> (window and run); no gap spans a Reset or a pause: the first action after
/// either starts a new sequence. Split stepping is forwarded, timing the Submit.
/// </para>
/// <para>Threading: Reset, Step, Submit, Wait, Pause and Resume come from one thread; <see cref="ActionGaps"/> may be read from any thread.</para>
/// </remarks>
public sealed class RecordActionGaps<TObservation, TAction> : EnvWrapper<TObservation, TAction>, IActionGapSource
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>How many recent gaps the window keeps by default.</summary>
    public const int DefaultWindow = 1024;

    private readonly TimeProvider _time;
    private readonly DurationRecorder _gaps;
    private bool _hasPreviousAction;
    private long _previousActionAt;

    /// <summary>Wraps <paramref name="inner"/>, timing actions on <paramref name="timeProvider"/> (default <see cref="TimeProvider.System"/>).</summary>
    /// <param name="inner">The env whose actions are timed.</param>
    /// <param name="window">How many recent gaps <see cref="ActionGapStatistics.Window"/> covers.</param>
    /// <param name="timeProvider">The wall clock.</param>
    public RecordActionGaps(IEnv<TObservation, TAction> inner, int window = DefaultWindow, TimeProvider? timeProvider = null)
        : base(inner)
    {
        if (window <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"The action-gap window must be positive, got {window}.");
        }

        _time = timeProvider ?? TimeProvider.System;
        _gaps = new DurationRecorder(window);
    }

    /// <inheritdoc/>
    public ActionGapStatistics ActionGaps
    {
        get
        {
            _gaps.Summarize(out var window, out var run);
            return new ActionGapStatistics(window, run);
        }
    }

    /// <inheritdoc/>
    public void ResetActionGapWindow() => _gaps.ResetWindow();

    /// <inheritdoc/>
    public override void Reset(Span<TObservation> observation, int? seed = null)
    {
        Inner.Reset(observation, seed);
        _hasPreviousAction = false;
    }

    /// <summary>Steps the inner env and records the gap since the previous action (once the inner env accepted this one).</summary>
    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation)
    {
        var now = _time.GetTimestamp();
        var result = Inner.Step(action, observation);
        RecordAction(now);
        return result;
    }

    /// <inheritdoc/>
    public override bool CanSplitStep => InnerCanSplitStep;

    /// <summary>Submits to the inner env and records the gap since the previous action (once the inner env accepted this one).</summary>
    /// <inheritdoc/>
    public override void Submit(ReadOnlySpan<TAction> action)
    {
        var now = _time.GetTimestamp();
        InnerSplitStepping.Submit(action);
        RecordAction(now);
    }

    /// <inheritdoc/>
    public override StepResult Wait(Span<TObservation> observation) => InnerSplitStepping.Wait(observation);

    /// <summary>Resumes the inner env; the next action starts a new sequence, so the pause is no gap.</summary>
    /// <inheritdoc/>
    public override void Resume(Span<TObservation> observation)
    {
        base.Resume(observation);
        _hasPreviousAction = false;
    }

    private void RecordAction(long now)
    {
        if (_hasPreviousAction)
        {
            _gaps.Record(_time.GetElapsedTime(_previousActionAt, now));
        }

        _hasPreviousAction = true;
        _previousActionAt = now;
    }
}
