using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tempo.Core.Spaces;
using Tempo.Core.Timing;

namespace Tempo.Core.Envs.Live;

/// <summary>Base for live envs: a world ticked by a <see cref="WorldClock"/> at a fixed wall-clock rate whether or not actions arrive, fed through an <see cref="ActionHold{TAction}"/>.</summary>
/// <typeparam name="TObservation">Observation element: <see cref="float"/> for vectors, <see cref="byte"/> for frames.</typeparam>
/// <typeparam name="TAction">Action element: <see cref="int"/> for discrete choices, <see cref="float"/> for continuous ones.</typeparam>
/// <remarks>
/// <para>
/// <b>The world.</b> The clock's thread (created at the first <see cref="Env{TObservation, TAction}.Reset"/>, joined by
/// <see cref="Env{TObservation, TAction}.Dispose()"/>) ticks the world every <see cref="TickPeriod"/>. Each tick applies
/// the most recent action; once no new action has arrived for <see cref="HoldTime"/> the world gets no input at all
/// (what "no input" means is the world's choice, see <see cref="TickWorld"/>). When a tick ends the episode the world
/// freezes until the next Reset. If the machine delays a tick by a whole period or more, the world slows down rather
/// than catching up in a burst (<see cref="LateTickCount"/>).
/// </para>
/// <para>
/// <b>The env contract.</b> Reset starts a new episode and returns the current observation at once. Step submits the
/// action and waits until a world tick has applied it: it returns the observation after that tick, the reward summed
/// over every tick since the previous Step (or Reset), and Terminated when the world ended. An agent that steps at the
/// tick rate sees every tick; a late agent misses ticks (the world applied its previous action or none meanwhile).
/// After the world ended Step returns at once with the episode's end; truncation is left to a time limit wrapper.
/// Step splits into <see cref="Submit"/> and <see cref="Wait"/> (<see cref="ISplitStepping{TObservation, TAction}"/>),
/// so a vector hands every world its action before waiting for any.
/// </para>
/// <para>
/// <b>Pausing.</b> While paused no world time passes: the tick thread waits and <see cref="TickCount"/> stands still;
/// the hold time does not run either. <see cref="Resume"/> writes the current (unchanged) observation. Step while
/// paused throws <see cref="InvalidOperationException"/>; Reset while paused starts the episode and stays paused.
/// </para>
/// <para>
/// Action gaps are not recorded here: wear <see cref="Wrappers.RecordActionGaps{TObservation, TAction}"/> (the registry does).
/// Threading: Reset, Step, Submit, Wait, Pause, Resume and Dispose come from one thread (the actor);
/// <see cref="TickCount"/> and <see cref="Observe"/> may be read from any thread.
/// </para>
/// </remarks>
public abstract class LiveEnv<TObservation, TAction> : Env<TObservation, TAction>, IPausable<TObservation>, ILiveEnv, ISplitStepping<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly object _gate = new();
    private readonly WorldClock _clock;
    private readonly ActionHold<TAction> _hold;
    private readonly TObservation[] _observation;

    // The world's side; guarded by _gate.
    private bool _hasWorld;
    private bool _worldEnded;
    private bool _endTerminated;
    private bool _endTruncated;
    private double _reward;

    // The caller's side of a split step (actor thread only).
    private bool _submitted;
    private bool _awaitsTick;
    private long _submittedAtTick;

    /// <summary>Creates the env; the tick thread starts at the first Reset.</summary>
    /// <param name="observationSpace">The space of the world's observations.</param>
    /// <param name="actionSpace">The space of the actions.</param>
    /// <param name="ticks">Tick rate and hold time.</param>
    /// <param name="timeProvider">The wall clock (default <see cref="TimeProvider.System"/>); it must advance on its own, since it paces the ticks.</param>
    protected LiveEnv(Space<TObservation> observationSpace, Space<TAction> actionSpace, LiveTickOptions ticks, TimeProvider? timeProvider)
        : base(observationSpace, actionSpace)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        ticks.Validate();
        Ticks = ticks;
        var time = timeProvider ?? TimeProvider.System;
        _clock = new WorldClock(ticks.TickPeriod, _gate, Tick, new PreciseDeadlineWaiter(time), $"{GetType().Name} ticks");
        _hold = new ActionHold<TAction>(actionSpace.FlatSize, ticks.EffectiveHoldTime, time);
        _observation = new TObservation[observationSpace.FlatSize];
    }

    /// <summary>The tick settings this env was created with.</summary>
    public LiveTickOptions Ticks { get; }

    /// <inheritdoc/>
    public TimeSpan TickPeriod => Ticks.TickPeriod;

    /// <inheritdoc/>
    public double WorldSpeed => Ticks.WorldSpeed;

    /// <inheritdoc/>
    public TimeSpan WorldTime => Ticks.WorldTickPeriod * TickCount;

    /// <summary>How long the most recent action is applied without a new one before the world gets no input.</summary>
    public TimeSpan HoldTime => Ticks.EffectiveHoldTime;

    /// <inheritdoc/>
    public long TickCount => _clock.TickCount;

    /// <summary>Ticks that applied no input because no action had arrived within the hold time (or since Reset).</summary>
    public long NoInputTickCount => _hold.NoInputCount;

    /// <inheritdoc/>
    public long LateTickCount => _clock.LateTickCount;

    /// <summary>Whether the world reached the end of its episode and is frozen until the next Reset.</summary>
    public bool HasWorldEnded
    {
        get
        {
            lock (_gate)
            {
                return _worldEnded;
            }
        }
    }

    /// <inheritdoc/>
    public bool CanPause => true;

    /// <inheritdoc/>
    public bool IsPaused => _clock.IsPaused;

    /// <inheritdoc/>
    public bool CanSplitStep => true;

    /// <summary>The tick thread, once started; tests check that Dispose ends it.</summary>
    internal Thread? TickThread => _clock.Thread;

    /// <summary>The lock the tick thread holds while the world changes; derived envs take it to read the world from other threads (rendering).</summary>
    protected object WorldLock => _gate;

    /// <summary>Hands the action to the world (the next tick applies it) without waiting; throws while paused.</summary>
    /// <inheritdoc/>
    public void Submit(ReadOnlySpan<TAction> action)
    {
        RequireRunning();
        RequireValidAction(action);
        if (_submitted)
        {
            ThrowSubmittedTwice();
        }

        SubmitCore(action);
    }

    /// <summary>Waits until a tick has applied the submitted action and writes the observation after that tick.</summary>
    /// <returns>The reward summed over the ticks since the previous Step or Reset, and Terminated/Truncated when the world ended.</returns>
    /// <inheritdoc/>
    public StepResult Wait(Span<TObservation> observation)
    {
        if (!_submitted)
        {
            ThrowWaitWithoutSubmit();
        }

        ContractErrors.RequireObservationLength(observation.Length, ObservationSpace);
        return EndStep(WaitCore(observation));
    }

    /// <summary>Writes the current observation without acting; returns the world tick it belongs to.</summary>
    public long Observe(Span<TObservation> observation)
    {
        ThrowIfDisposed();
        ContractErrors.RequireObservationLength(observation.Length, ObservationSpace);
        lock (_gate)
        {
            RequireWorld(nameof(Observe));
            _observation.CopyTo(observation);
            return _clock.TickCount;
        }
    }

    /// <summary>Freezes the world at once: no tick runs until <see cref="Resume"/>.</summary>
    /// <inheritdoc/>
    public void Pause()
    {
        ThrowIfDisposed();
        lock (_gate)
        {
            if (_clock.IsPaused)
            {
                throw new InvalidOperationException($"{GetType().Name}: Pause called while already paused; call Resume first.");
            }

            if (_submitted)
            {
                throw new InvalidOperationException($"{GetType().Name}: Pause called between Submit and Wait; call Wait first.");
            }

            _clock.Pause();
            OnPaused();
        }
    }

    /// <summary>Unfreezes the world and writes its observation, the same as when it was paused.</summary>
    /// <inheritdoc/>
    public void Resume(Span<TObservation> observation)
    {
        ThrowIfDisposed();
        ContractErrors.RequireObservationLength(observation.Length, ObservationSpace);
        lock (_gate)
        {
            if (!_clock.IsPaused)
            {
                throw new InvalidOperationException($"{GetType().Name}: Resume called while not paused; call Pause first.");
            }

            RequireWorld(nameof(Resume));
            OnResuming();

            // No world time passed, so the hold time of the action being held did not run either.
            _hold.Postpone(_clock.Resume());
            _observation.CopyTo(observation);
        }
    }

    /// <summary>Called under <see cref="WorldLock"/> right after the clock paused: a world with a clock of its own (a game) stops it here.</summary>
    protected virtual void OnPaused()
    {
    }

    /// <summary>Called under <see cref="WorldLock"/> right before the clock resumes: a world with a clock of its own restarts it here.</summary>
    protected virtual void OnResuming()
    {
    }

    /// <summary>Resets the world state (drawing it from <paramref name="seed"/> when given) and writes its observation; called under <see cref="WorldLock"/>.</summary>
    /// <param name="observation">Receives the initial observation.</param>
    /// <param name="seed">Reseeds the world's random source when not null, as <see cref="IEnv{TObservation, TAction}.Reset"/>.</param>
    protected abstract void ResetWorld(Span<TObservation> observation, int? seed);

    /// <summary>Advances the world by one tick and writes its observation; called on the tick thread under <see cref="WorldLock"/>.</summary>
    /// <param name="action">The action in effect, or an empty span when the world gets no input this tick.</param>
    /// <param name="observation">Receives the observation after the tick.</param>
    /// <returns>The tick's reward and whether it ended the episode (which freezes the world).</returns>
    protected abstract StepResult TickWorld(ReadOnlySpan<TAction> action, Span<TObservation> observation);

    /// <summary>Starts a new episode: resets the world and writes its observation at once; the world starts ticking.</summary>
    protected sealed override void ResetCore(Span<TObservation> observation, int? seed)
    {
        lock (_gate)
        {
            ResetWorld(_observation, seed);
            _hasWorld = true;
            _worldEnded = false;
            _reward = 0;
            _hold.Clear();
            _submitted = false;
            _observation.CopyTo(observation);
            _clock.Start();
        }
    }

    /// <summary>Starts a new episode without reseeding the world.</summary>
    protected sealed override void ResetCore(Span<TObservation> observation) => ResetCore(observation, seed: null);

    /// <summary>Submits the action and waits until a tick has applied it.</summary>
    protected sealed override StepResult StepCore(ReadOnlySpan<TAction> action, Span<TObservation> observation)
    {
        SubmitCore(action);
        return WaitCore(observation);
    }

    /// <summary>Stops and joins the tick thread; a derived env releasing its world overrides this and calls base.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _clock.Dispose();
        }

        base.Dispose(disposing);
    }

    private void SubmitCore(ReadOnlySpan<TAction> action)
    {
        lock (_gate)
        {
            if (_clock.IsPaused)
            {
                ThrowStepWhilePaused();
            }

            // After the world ended there is no tick to wait for: Wait returns the episode's end at once.
            _awaitsTick = !_worldEnded;
            if (_awaitsTick)
            {
                _hold.Submit(action, _clock.TimeProvider.GetTimestamp());
                _submittedAtTick = _clock.TickCount;
            }

            _submitted = true;
        }
    }

    private StepResult WaitCore(Span<TObservation> observation)
    {
        lock (_gate)
        {
            _submitted = false;
            if (_awaitsTick)
            {
                _clock.WaitForTickAfter(_submittedAtTick);
            }

            var result = new StepResult((float)_reward, _worldEnded && _endTerminated, _worldEnded && _endTruncated);
            _reward = 0;
            _observation.CopyTo(observation);
            return result;
        }
    }

    // The clock's tick function, on the tick thread under _gate: returns false to freeze the clock when the world ends.
    private bool Tick(long now)
    {
        var result = TickWorld(_hold.Take(now), _observation);
        _reward += result.Reward;
        if (!result.IsDone)
        {
            return true;
        }

        _worldEnded = true;
        _endTerminated = result.Terminated;
        _endTruncated = result.Truncated;
        return false;
    }

    private void RequireWorld(string operation)
    {
        if (!_hasWorld)
        {
            throw new InvalidOperationException($"{GetType().Name}: {operation} called before Reset; there is no world yet.");
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowStepWhilePaused() =>
        throw new InvalidOperationException($"{GetType().Name}: Step called while paused; call Resume first.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowSubmittedTwice() =>
        throw new InvalidOperationException($"{GetType().Name}: Submit called twice without Wait; call Wait for the submitted action first.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowWaitWithoutSubmit() =>
        throw new InvalidOperationException($"{GetType().Name}: Wait called without a submitted action; call Submit first.");
}
