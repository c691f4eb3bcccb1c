using System.Diagnostics;

namespace Tempo.Games.Input;

/// <summary>
/// The agent's hands on a game: discrete actions as held keys (exact diffs), the game's own pause, and idle safety.
/// Every key is released on pause, on <see cref="ReleaseAll"/> (episode end, errors) and on dispose.
/// </summary>
/// <remarks>
/// <para>
/// <b>Idle safety.</b> With an idle timeout, a watchdog pauses the game once no action arrived for that long (a stalled
/// actor must not leave Tux running into a pit with Right held) and counts it in <see cref="IdlePauseCount"/>; the next
/// <see cref="Act"/> resumes the game first. An explicit <see cref="Pause"/> is never undone by the watchdog.
/// </para>
/// <para>Thread-safe: the actor calls <see cref="Act"/>; the watchdog runs on a timer thread; both take the same lock.</para>
/// </remarks>
public sealed class GameControls : IDisposable
{
    private readonly Lock _gate = new();
    private readonly KeyActions _keys;
    private readonly IGamePause _pause;
    private readonly Timer? _watchdog;
    private readonly long _idleTimestamps;
    private long _lastActionAt;
    private bool _paused;
    private bool _idlePaused;
    private long _idlePauseCount;
    private bool _disposed;

    /// <summary>Creates the controls for a game that runs at normal speed.</summary>
    /// <param name="keys">The key action table.</param>
    /// <param name="pause">The game's pause.</param>
    /// <param name="idleTimeout">Pause the game after this long without an action; null for no idle safety.</param>
    public GameControls(KeyActions keys, IGamePause pause, TimeSpan? idleTimeout)
        : this(keys, pause, idleTimeout, worldSpeed: 1)
    {
    }

    /// <summary>Creates the controls for a game that runs <paramref name="worldSpeed"/> times faster than the wall clock.</summary>
    /// <param name="keys">The key action table.</param>
    /// <param name="pause">The game's pause.</param>
    /// <param name="idleTimeout">Pause the game after this much game time without an action; null for no idle safety.</param>
    /// <param name="worldSpeed">Seconds of game time per wall-clock second (<see cref="Tempo.Core.Envs.Live.LiveTickOptions.WorldSpeed"/>): a stalled actor lets a game at speed 3 run 3 s per wall second, so the watchdog waits a third as long.</param>
    public GameControls(KeyActions keys, IGamePause pause, TimeSpan? idleTimeout, double worldSpeed)
    {
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _pause = pause ?? throw new ArgumentNullException(nameof(pause));
        _lastActionAt = Stopwatch.GetTimestamp();
        if (idleTimeout is { } timeout)
        {
            if (timeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(idleTimeout), timeout, "the idle timeout must be positive");
            }

            if (!double.IsFinite(worldSpeed) || worldSpeed <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(worldSpeed), worldSpeed, "the world speed must be positive");
            }

            IdleTimeout = timeout;
            WallIdleTimeout = timeout / worldSpeed;
            _idleTimestamps = (long)(WallIdleTimeout.Value.TotalSeconds * Stopwatch.Frequency);

            // Checked four times per timeout: the game runs at most 1.25 timeouts without an action.
            var period = WallIdleTimeout.Value / 4;
            _watchdog = new Timer(static state => ((GameControls)state!).CheckIdle(), this, period, period);
        }
    }

    /// <summary>The idle timeout in game time, or null without idle safety.</summary>
    public TimeSpan? IdleTimeout { get; }

    /// <summary>The idle timeout in wall-clock time (the game time divided by the world speed), or null without idle safety.</summary>
    public TimeSpan? WallIdleTimeout { get; }

    /// <summary>Times the watchdog paused the game for lack of actions.</summary>
    public long IdlePauseCount => Interlocked.Read(ref _idlePauseCount);

    /// <summary>Whether the game is paused (explicitly or by the watchdog).</summary>
    public bool IsPaused
    {
        get
        {
            lock (_gate)
            {
                return _paused || _idlePaused;
            }
        }
    }

    /// <summary>The key action table.</summary>
    public KeyActions Keys => _keys;

    /// <summary>Holds action <paramref name="action"/>'s keys (press new, release gone); resumes first when the watchdog had paused the game.</summary>
    /// <exception cref="InvalidOperationException">The game is paused explicitly.</exception>
    public void Act(int action)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_paused)
            {
                throw new InvalidOperationException("Act called while the game is paused; call Resume first");
            }

            if (_idlePaused)
            {
                _pause.Resume();
                _idlePaused = false;
            }

            _lastActionAt = Stopwatch.GetTimestamp();
            _keys.Apply(action);
        }
    }

    /// <summary>Releases every key (episode end, an error).</summary>
    public void ReleaseAll()
    {
        lock (_gate)
        {
            _keys.ReleaseAll();
        }
    }

    /// <summary>Releases every key and pauses the game.</summary>
    public void Pause()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_paused)
            {
                throw new InvalidOperationException("Pause called while already paused");
            }

            _keys.ReleaseAll();
            if (!_idlePaused)
            {
                _pause.Pause();
            }

            _idlePaused = false;
            _paused = true;
        }
    }

    /// <summary>Unpauses the game; the idle clock starts again.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_paused)
            {
                throw new InvalidOperationException("Resume called while not paused");
            }

            _pause.Resume();
            _paused = false;
            _lastActionAt = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Stops the watchdog and releases every key (the game is left as it is).</summary>
    public void Dispose()
    {
        _watchdog?.Dispose();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                _keys.ReleaseAll();
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or X11.X11Exception)
            {
                // The game's display is already gone: there is nothing left to release keys in.
            }
        }
    }

    private void CheckIdle()
    {
        lock (_gate)
        {
            if (_disposed || _paused || _idlePaused || Stopwatch.GetTimestamp() - _lastActionAt < _idleTimestamps)
            {
                return;
            }

            _keys.ReleaseAll();
            try
            {
                _pause.Pause();
            }
            catch (InvalidOperationException)
            {
                // The game did not show the pause (it is exiting); health checks report that, the watchdog tries again later.
                return;
            }
            catch (X11.X11Exception)
            {
                // The window is gone (the game exited after the finish): nothing to pause, and a timer thread must not throw.
                return;
            }

            _idlePaused = true;
            Interlocked.Increment(ref _idlePauseCount);
        }
    }
}
