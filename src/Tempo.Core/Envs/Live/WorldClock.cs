using Tempo.Core.Timing;

namespace Tempo.Core.Envs.Live;

/// <summary>Ticks a live world on its own thread every <see cref="TickPeriod"/> of wall-clock time, whether or not anyone acts; it can freeze and pause.</summary>
/// <remarks>
/// <para>
/// The thread is created by the first <see cref="Start"/> and joined by <see cref="Dispose"/>. Each tick calls the
/// tick function under the owner's lock with the tick's timestamp; when it returns false (the world ended) the
/// clock freezes until the next <see cref="Start"/>. A frozen or paused clock restarts its schedule when it runs
/// again instead of making up the lost time. If the machine delays a tick by a whole period or more, the clock
/// slows down rather than ticking in a burst (<see cref="LateTickCount"/>). The thread asks for
/// <see cref="ThreadPriority.AboveNormal"/>, which Linux ignores for unprivileged processes; the deadlines are
/// kept by the <see cref="IDeadlineWaiter"/>.
/// </para>
/// <para>
/// Pausing is exact: after <see cref="Pause"/> returns no tick runs until <see cref="Resume"/>. Every member may be
/// called from any thread; the lock given at creation guards the state, and waiters on it are pulsed after each tick.
/// </para>
/// </remarks>
public sealed class WorldClock : IDisposable
{
    private readonly object _gate;
    private readonly Func<long, bool> _tick;
    private readonly IDeadlineWaiter _waiter;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly long _periodTimestamps;
    private readonly string _threadName;
    private Thread? _thread;
    private bool _running;
    private bool _paused;
    private long _pausedAt;
    private bool _stopped;
    private long _tickCount;
    private long _lateTickCount;

    /// <summary>Creates a stopped clock; <see cref="Start"/> runs it.</summary>
    /// <param name="tickPeriod">The wall-clock time between two ticks.</param>
    /// <param name="gate">The owner's lock: ticks run under it, and the owner takes it to change the world.</param>
    /// <param name="tick">Advances the world by one tick at the given timestamp; returns false when the world ended (the clock freezes).</param>
    /// <param name="waiter">Waits for the deadlines (default a <see cref="PreciseDeadlineWaiter"/> on the system clock); its clock must advance on its own.</param>
    /// <param name="threadName">The tick thread's name, for debuggers and profilers.</param>
    public WorldClock(TimeSpan tickPeriod, object gate, Func<long, bool> tick, IDeadlineWaiter? waiter = null, string threadName = "world clock")
    {
        if (tickPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(tickPeriod), tickPeriod, "The tick period must be positive.");
        }

        _gate = gate ?? throw new ArgumentNullException(nameof(gate));
        _tick = tick ?? throw new ArgumentNullException(nameof(tick));
        _waiter = waiter ?? new PreciseDeadlineWaiter();
        _time = _waiter.TimeProvider;
        _threadName = threadName ?? throw new ArgumentNullException(nameof(threadName));
        TickPeriod = tickPeriod;
        _periodTimestamps = Math.Max(1, (long)Math.Round(tickPeriod.TotalSeconds * _time.TimestampFrequency));
    }

    /// <summary>The wall-clock time between two ticks.</summary>
    public TimeSpan TickPeriod { get; }

    /// <summary>The clock the deadlines and tick timestamps are on.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>Ticks since creation: monotonic, frozen while paused or frozen.</summary>
    public long TickCount => Volatile.Read(ref _tickCount);

    /// <summary>Ticks that ran a whole period or more after their deadline; each one slowed the world down.</summary>
    public long LateTickCount => Volatile.Read(ref _lateTickCount);

    /// <summary>Whether the clock was started and its world has not ended since (paused or not).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>Whether the clock is paused.</summary>
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
    internal Thread? Thread => _thread;

    /// <summary>Runs the clock (after a freeze: from now on, a period to the first tick); starts the tick thread on the first call. A paused clock stays paused.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            _running = true;
            Monitor.PulseAll(_gate);
            if (_thread is null)
            {
                _thread = new Thread(RunTicks) { IsBackground = true, Name = _threadName, Priority = ThreadPriority.AboveNormal };
                _thread.Start();
            }
        }
    }

    /// <summary>Pauses the clock at once: no tick runs after this returns until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        lock (_gate)
        {
            if (_paused)
            {
                throw new InvalidOperationException("WorldClock: Pause called while already paused; call Resume first.");
            }

            _paused = true;
            _pausedAt = _time.GetTimestamp();
        }
    }

    /// <summary>Resumes the clock; returns how long it was paused, in timestamps of <see cref="TimeProvider"/>.</summary>
    public long Resume()
    {
        lock (_gate)
        {
            if (!_paused)
            {
                throw new InvalidOperationException("WorldClock: Resume called while not paused; call Pause first.");
            }

            _paused = false;
            Monitor.PulseAll(_gate);
            return _time.GetTimestamp() - _pausedAt;
        }
    }

    /// <summary>Blocks until a tick after <paramref name="tick"/> has run, or the clock is frozen; throws <see cref="ObjectDisposedException"/> if it is disposed meanwhile.</summary>
    /// <param name="tick">A <see cref="TickCount"/> read under the lock.</param>
    /// <remarks>Call it holding the lock; it is released while waiting. A paused clock keeps it waiting until resumed.</remarks>
    public void WaitForTickAfter(long tick)
    {
        lock (_gate)
        {
            while (_tickCount == tick && _running && !_stopped)
            {
                Monitor.Wait(_gate);
            }

            ObjectDisposedException.ThrowIf(_stopped, this);
        }
    }

    /// <summary>Stops and joins the tick thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

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
        var next = _time.GetTimestamp() + _periodTimestamps;
        while (true)
        {
            lock (_gate)
            {
                var waited = false;
                while (!_stopped && (_paused || !_running))
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
                    next = _time.GetTimestamp() + _periodTimestamps;
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

                if (_paused || !_running)
                {
                    continue;
                }

                var now = _time.GetTimestamp();
                _running = _tick(now);
                Volatile.Write(ref _tickCount, _tickCount + 1);
                Monitor.PulseAll(_gate);

                next += _periodTimestamps;
                if (next <= now)
                {
                    // A whole period late (descheduled, overloaded): slow the world down rather than tick in a burst.
                    Volatile.Write(ref _lateTickCount, _lateTickCount + 1);
                    next = now + _periodTimestamps;
                }
            }
        }
    }
}
