using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tempo.Core.Spaces;
using Tempo.Core.Timing;

namespace Tempo.Core.Envs.Live;

/// <summary>Base for simulated live envs: a world ticked on its own thread at a fixed wall-clock rate, whether or not actions arrive.</summary>
/// <typeparam name="TAction">Action element: <see cref="int"/> for discrete choices, <see cref="float"/> for continuous ones.</typeparam>
/// <remarks>
/// <para>
/// <b>The world.</b> A dedicated thread (created at the first <see cref="Reset"/>, joined by <see cref="Dispose()"/>)
/// ticks the world every <see cref="TickPeriod"/>. Each tick applies the most recent action; once no new action has
/// arrived for <see cref="HoldTime"/> the world gets no input at all (what "no input" means is the world's choice,
/// see <see cref="TickWorld"/>). When a tick ends the episode the world freezes until the next Reset. If the
/// machine delays a tick by a whole period or more, the world slows down rather than catching up in a burst
/// (<see cref="LateTickCount"/>). The thread asks for <see cref="ThreadPriority.AboveNormal"/>, which Linux ignores
/// for unprivileged processes; the deadlines are kept by <see cref="PreciseDeadlineWaiter"/>.
/// </para>
/// <para>
/// <b>The env contract.</b> <see cref="Reset"/> starts a new episode and returns the current observation at once.
/// <see cref="Step"/> submits the action and waits until a world tick has applied it: it returns the observation
/// after that tick, the reward summed over every tick since the previous Step (or Reset), and Terminated when the
/// world ended. An agent that steps at the tick rate sees every tick; a late agent misses ticks (the world applied
/// its previous action or none meanwhile). After the world ended Step returns at once with the episode's end;
/// truncation is left to a time limit wrapper.
/// </para>
/// <para>
/// <b>Pausing.</b> While paused no world time passes: the tick thread waits and <see cref="TickCount"/> stands still;
/// the hold time does not run either. <see cref="Resume"/> writes the current (unchanged) observation. Step while
/// paused throws <see cref="InvalidOperationException"/>; Reset while paused starts the episode and stays paused.
/// </para>
/// <para>
/// <b>Action gaps.</b> The wall-clock time between consecutive actions reaching the env (Step calls) is recorded
/// into a <see cref="DurationRecorder"/>; no gap spans a Reset or a pause.
/// </para>
/// <para>
/// Threading: Reset, Step, Pause, Resume and Dispose come from one thread (the actor); <see cref="TickCount"/>,
/// <see cref="ActionGaps"/> and <see cref="Observe"/> may be read from any thread.
/// </para>
/// </remarks>
public abstract class LiveEnv<TAction> : IEnv<float, TAction>, IPausable<float>, ILiveEnv
    where TAction : unmanaged
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly PreciseDeadlineWaiter _waiter;
    private readonly CancellationTokenSource _stopping = new();
    private readonly long _tickPeriod;
    private readonly long _holdTime;
    private readonly bool _actionsAreClipped;
    private readonly TAction[] _pendingAction;
    private readonly TAction[] _heldAction;
    private readonly float[] _observation;
    private readonly DurationRecorder _actionGaps;
    private Thread? _thread;

    // The caller's side of the episode life cycle (Reset/Step thread only).
    private EpisodePhase _phase = EpisodePhase.NeverReset;
    private StepResult _lastResult;

    // The world's side; guarded by _gate. Timestamps are _time's.
    private WorldPhase _world;
    private bool _endTerminated;
    private bool _endTruncated;
    private bool _paused;
    private long _pausedAt;
    private bool _stopped;
    private bool _hasPending;
    private long _pendingSubmittedAt;
    private bool _hasHeld;
    private long _heldSubmittedAt;
    private double _reward;
    private bool _hasPreviousAction;
    private long _previousActionAt;
    private long _tickCount;
    private long _noInputTickCount;
    private long _lateTickCount;

    /// <summary>Creates the env; the tick thread starts at the first <see cref="Reset"/>.</summary>
    /// <param name="observationSpace">The space of the world's observations.</param>
    /// <param name="actionSpace">The space of the actions.</param>
    /// <param name="ticks">Tick rate, hold time and action-gap window.</param>
    /// <param name="timeProvider">The wall clock (default <see cref="TimeProvider.System"/>); it must advance on its own, since it paces the ticks.</param>
    protected LiveEnv(Space<float> observationSpace, Space<TAction> actionSpace, LiveTickOptions ticks, TimeProvider? timeProvider)
    {
        ObservationSpace = observationSpace ?? throw new ArgumentNullException(nameof(observationSpace));
        ActionSpace = actionSpace ?? throw new ArgumentNullException(nameof(actionSpace));
        ArgumentNullException.ThrowIfNull(ticks);
        ticks.Validate();
        Ticks = ticks;
        _time = timeProvider ?? TimeProvider.System;
        _waiter = new PreciseDeadlineWaiter(_time);
        _tickPeriod = Math.Max(1, ToTimestampTicks(ticks.TickPeriod));
        _holdTime = ToTimestampTicks(ticks.EffectiveHoldTime);
        _actionsAreClipped = actionSpace is BoxSpace<float>;
        _pendingAction = new TAction[actionSpace.FlatSize];
        _heldAction = new TAction[actionSpace.FlatSize];
        _observation = new float[observationSpace.FlatSize];
        _actionGaps = new DurationRecorder(ticks.ActionGapWindow);
    }

    private enum WorldPhase
    {
        NeverReset,
        Running,
        Ended,
    }

    /// <inheritdoc/>
    public Space<float> ObservationSpace { get; }

    /// <inheritdoc/>
    public Space<TAction> ActionSpace { get; }

    ISpace IEnv.ObservationSpace => ObservationSpace;

    ISpace IEnv.ActionSpace => ActionSpace;

    /// <summary>The tick settings this env was created with.</summary>
    public LiveTickOptions Ticks { get; }

    /// <inheritdoc/>
    public TimeSpan TickPeriod => Ticks.TickPeriod;

    /// <summary>How long the most recent action is applied without a new one before the world gets no input.</summary>
    public TimeSpan HoldTime => Ticks.EffectiveHoldTime;

    /// <inheritdoc/>
    public long TickCount => Volatile.Read(ref _tickCount);

    /// <summary>Ticks that applied no input because no action had arrived within the hold time (or since Reset).</summary>
    public long NoInputTickCount => Volatile.Read(ref _noInputTickCount);

    /// <summary>Ticks that ran a whole period or more after their deadline; each one slowed the world down.</summary>
    public long LateTickCount => Volatile.Read(ref _lateTickCount);

    /// <summary>Whether the world reached the end of its episode and is frozen until the next Reset.</summary>
    public bool HasWorldEnded
    {
        get
        {
            lock (_gate)
            {
                return _world == WorldPhase.Ended;
            }
        }
    }

    /// <inheritdoc/>
    public ActionGapStatistics ActionGaps
    {
        get
        {
            _actionGaps.Summarize(out var window, out var run);
            return new ActionGapStatistics(window, run);
        }
    }

    /// <inheritdoc/>
    public bool CanPause => true;

    /// <inheritdoc/>
    public bool IsPaused
    {
        get
        {
            lock (_gate)
            {
                return _paused;
            }
        }
    }

    /// <summary>The tick thread, once started; tests check that Dispose ends it.</summary>
    internal Thread? TickThread => _thread;

    /// <summary>The lock the tick thread holds while the world changes; derived envs take it to read the world from other threads (rendering).</summary>
    protected object WorldLock => _gate;

    /// <inheritdoc/>
    public void ResetActionGapWindow() => _actionGaps.ResetWindow();

    /// <summary>Starts a new episode: resets the world and writes its observation at once; the world starts ticking.</summary>
    /// <inheritdoc/>
    public void Reset(Span<float> observation, int? seed = null)
    {
        ObjectDisposedException.ThrowIf(_phase == EpisodePhase.Disposed, this);
        ContractErrors.RequireObservationLength(observation.Length, ObservationSpace);
        lock (_gate)
        {
            ResetWorld(_observation, seed);
            _world = WorldPhase.Running;
            _reward = 0;
            _hasPending = false;
            _hasHeld = false;
            _hasPreviousAction = false;
            _observation.CopyTo(observation);
            Monitor.PulseAll(_gate);
        }

        _phase = EpisodePhase.Running;
        if (_thread is null)
        {
            _thread = new Thread(RunTicks)
            {
                IsBackground = true,
                Name = $"{GetType().Name} ticks",
                Priority = ThreadPriority.AboveNormal,
            };
            _thread.Start();
        }
    }

    /// <summary>Submits the action, waits until a tick has applied it, and writes the observation after that tick.</summary>
    /// <returns>The reward summed over the ticks since the previous Step or Reset, and Terminated/Truncated when the world ended.</returns>
    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<TAction> action, Span<float> observation)
    {
        if (_phase != EpisodePhase.Running)
        {
            ContractErrors.StepNotAllowed(_phase, _lastResult, this);
        }

        ContractErrors.RequireObservationLength(observation.Length, ObservationSpace);
        ContractErrors.RequireValidAction(action, ActionSpace, _actionsAreClipped);

        StepResult result;
        lock (_gate)
        {
            if (_paused)
            {
                ThrowStepWhilePaused();
            }

            var now = _time.GetTimestamp();
            RecordActionGap(now);
            if (_world == WorldPhase.Running)
            {
                action.CopyTo(_pendingAction);
                _hasPending = true;
                _pendingSubmittedAt = now;
                var submittedAtTick = _tickCount;
                while (_tickCount == submittedAtTick && _world == WorldPhase.Running && !_stopped)
                {
                    Monitor.Wait(_gate);
                }

                ObjectDisposedException.ThrowIf(_stopped, this);
            }

            var ended = _world == WorldPhase.Ended;
            result = new StepResult((float)_reward, ended && _endTerminated, ended && _endTruncated);
            _reward = 0;
            _observation.CopyTo(observation);
        }

        if (result.IsDone)
        {
            _phase = EpisodePhase.Ended;
            _lastResult = result;
        }

        return result;
    }

    /// <summary>Writes the current observation without acting; returns the world tick it belongs to.</summary>
    public long Observe(Span<float> observation)
    {
        ObjectDisposedException.ThrowIf(_phase == EpisodePhase.Disposed, this);
        ContractErrors.RequireObservationLength(observation.Length, ObservationSpace);
        lock (_gate)
        {
            RequireWorld(nameof(Observe));
            _observation.CopyTo(observation);
            return _tickCount;
        }
    }

    /// <summary>Freezes the world at once: no tick runs until <see cref="Resume"/>.</summary>
    /// <inheritdoc/>
    public void Pause()
    {
        ObjectDisposedException.ThrowIf(_phase == EpisodePhase.Disposed, this);
        lock (_gate)
        {
            if (_paused)
            {
                throw new InvalidOperationException($"{GetType().Name}: Pause called while already paused; call Resume first.");
            }

            _paused = true;
            _pausedAt = _time.GetTimestamp();
        }
    }

    /// <summary>Unfreezes the world and writes its observation, the same as when it was paused.</summary>
    /// <inheritdoc/>
    public void Resume(Span<float> observation)
    {
        ObjectDisposedException.ThrowIf(_phase == EpisodePhase.Disposed, this);
        ContractErrors.RequireObservationLength(observation.Length, ObservationSpace);
        lock (_gate)
        {
            if (!_paused)
            {
                throw new InvalidOperationException($"{GetType().Name}: Resume called while not paused; call Pause first.");
            }

            RequireWorld(nameof(Resume));

            // No world time passed, so the hold time of the action being held did not run either.
            var pausedFor = _time.GetTimestamp() - _pausedAt;
            _heldSubmittedAt += pausedFor;
            _pendingSubmittedAt += pausedFor;
            _paused = false;
            _hasPreviousAction = false;
            _observation.CopyTo(observation);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Resets the world state (drawing it from <paramref name="seed"/> when given) and writes its observation; called under <see cref="WorldLock"/>.</summary>
    /// <param name="observation">Receives the initial observation.</param>
    /// <param name="seed">Reseeds the world's random source when not null, as <see cref="IEnv{TObservation, TAction}.Reset"/>.</param>
    protected abstract void ResetWorld(Span<float> observation, int? seed);

    /// <summary>Advances the world by one tick and writes its observation; called on the tick thread under <see cref="WorldLock"/>.</summary>
    /// <param name="action">The action in effect, or an empty span when the world gets no input this tick.</param>
    /// <param name="observation">Receives the observation after the tick.</param>
    /// <returns>The tick's reward and whether it ended the episode (which freezes the world).</returns>
    protected abstract StepResult TickWorld(ReadOnlySpan<TAction> action, Span<float> observation);

    /// <summary>Stops and joins the tick thread.</summary>
    public void Dispose()
    {
        if (_phase == EpisodePhase.Disposed)
        {
            return;
        }

        _phase = EpisodePhase.Disposed;
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops and joins the tick thread; a derived env releasing its world overrides this and calls base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }

        _stopping.Cancel();
        if (_thread is { } thread && thread != Thread.CurrentThread)
        {
            thread.Join();
        }

        _stopping.Dispose();
    }

    private void RunTicks()
    {
        var next = _time.GetTimestamp() + _tickPeriod;
        while (true)
        {
            lock (_gate)
            {
                var waited = false;
                while (!_stopped && (_paused || _world != WorldPhase.Running))
                {
                    Monitor.Wait(_gate);
                    waited = true;
                }

                if (_stopped)
                {
                    return;
                }

                if (waited)
                {
                    // The world was frozen: its clock restarts now instead of making up the frozen time.
                    next = _time.GetTimestamp() + _tickPeriod;
                }
            }

            if (!_waiter.WaitUntil(next, _stopping.Token))
            {
                return;
            }

            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                if (_paused || _world != WorldPhase.Running)
                {
                    continue;
                }

                var now = _time.GetTimestamp();
                Tick(now);
                Monitor.PulseAll(_gate);

                next += _tickPeriod;
                if (next <= now)
                {
                    // A whole period late (descheduled, overloaded): slow the world down rather than tick in a burst.
                    Volatile.Write(ref _lateTickCount, _lateTickCount + 1);
                    next = now + _tickPeriod;
                }
            }
        }
    }

    private void Tick(long now)
    {
        ReadOnlySpan<TAction> input;
        if (_hasPending)
        {
            _pendingAction.CopyTo(_heldAction);
            _hasPending = false;
            _hasHeld = true;
            _heldSubmittedAt = _pendingSubmittedAt;
            input = _heldAction;
        }
        else if (_hasHeld && now - _heldSubmittedAt < _holdTime)
        {
            input = _heldAction;
        }
        else
        {
            _hasHeld = false;
            input = default;
            Volatile.Write(ref _noInputTickCount, _noInputTickCount + 1);
        }

        var result = TickWorld(input, _observation);
        Volatile.Write(ref _tickCount, _tickCount + 1);
        _reward += result.Reward;
        if (result.IsDone)
        {
            _world = WorldPhase.Ended;
            _endTerminated = result.Terminated;
            _endTruncated = result.Truncated;
        }
    }

    private void RecordActionGap(long now)
    {
        if (_hasPreviousAction)
        {
            _actionGaps.Record(_time.GetElapsedTime(_previousActionAt, now));
        }

        _hasPreviousAction = true;
        _previousActionAt = now;
    }

    private void RequireWorld(string operation)
    {
        if (_world == WorldPhase.NeverReset)
        {
            throw new InvalidOperationException($"{GetType().Name}: {operation} called before Reset; there is no world yet.");
        }
    }

    private long ToTimestampTicks(TimeSpan duration)
    {
        var ticks = duration.TotalSeconds * _time.TimestampFrequency;
        return ticks >= long.MaxValue ? long.MaxValue : (long)Math.Round(ticks);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowStepWhilePaused() =>
        throw new InvalidOperationException($"{GetType().Name}: Step called while paused; call Resume first.");
}
