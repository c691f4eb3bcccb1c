using System.Diagnostics;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Spaces;
using Tempo.Games.Imaging;
using Tempo.Games.Input;
using Tempo.Games.Supervision;
using Tempo.Games.X11;

namespace Tempo.Games.SuperTux;

/// <summary>
/// SuperTux as a live env: the game runs on its own clock under Xvfb; every tick holds the current action's keys,
/// reads Tux's x, y and coins from memory and captures one gray frame. <c>SuperTux-v0</c> wraps it (<see cref="SuperTuxEnvs.Make"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Observation</b> (one frame; the registered env stacks them): a dict of <c>frames</c> (<c>[size, size]</c> gray
/// bytes) and <c>features</c> (x / 1000, y / 1000, Δx per tick / 10, coins collected / 10, seconds since the episode
/// started / 100, and 1 while the action in force holds jump, else 0, as floats), or the frame alone when
/// <see cref="SuperTuxOptions.PixelsOnly"/>. SuperTux jumps on the key's press edge only, so whether a jump action jumps
/// depends on the action before it; without the held-jump feature a policy cannot see that, and a greedy policy that
/// keeps a jump action held never jumps again.
/// </para>
/// <para>
/// <b>Reward and end.</b> New progress in x beyond the episode's farthest x, coins, and: falling below the level is
/// terminal with the death reward; reaching the finish trigger (or the game exiting cleanly after the goal) is terminal
/// with the finish reward; the game exiting otherwise, failing memory reads or a vanished window (a crash) truncates.
/// </para>
/// <para>
/// <b>Reset</b> relaunches the game (about 1.5 s) unless it was just launched, so every episode starts at the spawn
/// whatever ended the last one. <b>Pausing</b> uses the game's own pause (Escape, confirmed on screen), so no game time
/// passes while a synchronous schedule updates; without actions for <see cref="SuperTuxOptions.IdlePauseSeconds"/> the
/// game pauses itself and resumes on the next action.
/// </para>
/// </remarks>
public sealed class SuperTuxEnv : LiveEnv<byte, int>, IPositionSource, IRenderable, IGameFaultSource
{
    /// <summary>The dict part holding the frame.</summary>
    public const string FramesPart = "frames";

    /// <summary>The dict part holding the features.</summary>
    public const string FeaturesPart = "features";

    private const int FeatureCount = 6;
    private const int MaxFailedReads = 5;

    // How often the hang check compares the whole window with its last copy: a full compare every tick would cost more
    // than the capture, and a hang is judged over seconds.
    private static readonly long _hangCheckInterval = Stopwatch.Frequency / 4;

    private readonly SuperTuxOptions _options;
    private readonly string _folder;
    private readonly GameInstance _game;
    private readonly DictPart? _frames;
    private readonly DictPart? _features;
    private readonly bool[] _holdsJump;
    private bool _jumpHeld;
    private readonly int _finishX;
    private readonly long _hangAfter;
    private byte[] _hangFrame = [];
    private long _lastChange;
    private long _nextHangCheck;
    private GrayAreaResizer _resizer;
    private GameControls _controls;
    private int _x;
    private int _y;
    private int _coins;
    private bool _fresh = true;
    private float _posX;
    private float _posY;
    private float _bestX;
    private float _lastX;
    private double _startCoins;
    private double _lastCoins;
    private long _episodeStart;
    private int _failedReads;
    private bool _reachedGoal;
    private bool _gamePaused;
    private bool _broken;
    private string? _brokenBecause;
    private string? _lastFault;

    /// <summary>Writes the level, launches the game under a new Xvfb (or on <see cref="SuperTuxOptions.Display"/>) and waits until it is playable.</summary>
    /// <exception cref="GameLaunchException">The game could not be brought to play.</exception>
    /// <exception cref="ArgumentException">The display named in <see cref="SuperTuxOptions.Display"/> cannot be opened.</exception>
    public SuperTuxEnv(SuperTuxOptions options)
        : base(ObservationSpaceOf(options), new DiscreteSpace(options.Actions.Count), new LiveTickOptions { TickRateHertz = options.TickRateHertz, WorldSpeed = WorldSpeedOf(options) }, timeProvider: null)
    {
        _options = options;
        _folder = Directory.CreateTempSubdirectory("tempo-supertux-").FullName;
        var level = options.LevelFile;
        _finishX = int.MaxValue;
        _hangAfter = (long)(options.HangSeconds * Stopwatch.Frequency);
        if (level is null)
        {
            var generated = SuperTuxLevel.TwoPits with { WidthTiles = options.LevelWidthTiles, GameSpeed = options.GameSpeed };
            level = Path.Combine(_folder, "level.stl");
            generated.Save(level);
            _finishX = generated.FinishX;
        }

        _holdsJump = [.. options.Actions.Select(a => SuperTuxActions.Keys(a).Contains(SuperTuxActions.JumpKey))];
        if (ObservationSpace is DictSpace dict)
        {
            _frames = dict[FramesPart];
            _features = dict[FeaturesPart];
        }

        try
        {
            var launch = SuperTuxGame.LaunchOptions(
                level, Path.Combine(_folder, "user"), SuperTuxGame.DebianChains(), options.Executable, options.WindowWidth, options.WindowHeight);
            _game = GameInstance.Launch(launch with { Display = options.Display });
        }
        catch (X11Exception e) when (options.Display is not null)
        {
            Directory.Delete(_folder, recursive: true);
            throw new ArgumentException($"SuperTux option Display: {e.Message}; give a running X display such as :0, or leave it out to start Xvfb.", nameof(options), e);
        }
        catch
        {
            Directory.Delete(_folder, recursive: true);
            throw;
        }

        (_resizer, _controls) = Attach();
    }

    /// <summary>The game instance (display, pid, launch and relaunch counts).</summary>
    public GameInstance Game => _game;

    /// <summary>Episodes that ended at the finish.</summary>
    public int FinishCount { get; private set; }

    /// <summary>Episodes that ended by falling out of the level.</summary>
    public int FallCount { get; private set; }

    /// <summary>Episodes truncated because the game crashed (exited without finishing, window gone, memory unreadable).</summary>
    public long CrashCount { get; private set; }

    /// <summary>Episodes truncated because the game hung: the same picture and position for <see cref="SuperTuxOptions.HangSeconds"/> while it should play.</summary>
    public long HangCount { get; private set; }

    /// <inheritdoc/>
    public string? LastFault => Volatile.Read(ref _lastFault);

    /// <summary>Times the game paused itself for lack of actions, over the current launch.</summary>
    public long IdlePauseCount => _controls.IdlePauseCount;

    /// <inheritdoc/>
    public float X => Volatile.Read(ref _posX);

    /// <inheritdoc/>
    public float Y => Volatile.Read(ref _posY);

    /// <inheritdoc/>
    public bool ReachedGoal => Volatile.Read(ref _reachedGoal);

    /// <inheritdoc/>
    public int FrameWidth => _options.WindowWidth;

    /// <inheritdoc/>
    public int FrameHeight => _options.WindowHeight;

    /// <summary>Captures the game's window as RGB (for <c>tempo eval --video</c>); black when the game is between launches.</summary>
    public void Render(Span<byte> rgb)
    {
        lock (WorldLock)
        {
            rgb.Clear();
            if (_game.ExitCode is not null)
            {
                return;
            }

            try
            {
                var frame = _game.Frames.Capture();
                var width = Math.Min(frame.Width, FrameWidth);
                for (var y = 0; y < Math.Min(frame.Height, FrameHeight); y++)
                {
                    var row = frame.Row(y);
                    var target = rgb.Slice(y * FrameWidth * 3, width * 3);
                    for (var x = 0; x < width; x++)
                    {
                        target[(x * 3) + 0] = row[(x * 4) + 2];
                        target[(x * 3) + 1] = row[(x * 4) + 1];
                        target[(x * 3) + 2] = row[x * 4];
                    }
                }
            }
            catch (X11Exception)
            {
                // The window is gone (the game is exiting after the goal): the frame stays black.
            }
        }
    }

    /// <summary>The observation space <paramref name="options"/> give (one frame, before stacking).</summary>
    public static Space<byte> ObservationSpaceOf(SuperTuxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var frames = new BoxSpace<byte>(0, 255, options.FrameSize, options.FrameSize);
        return options.PixelsOnly
            ? frames
            : new DictSpace(new Dictionary<string, ISpace> { [FramesPart] = frames, [FeaturesPart] = new BoxSpace<float>(-100f, 100f, FeatureCount) });
    }

    /// <inheritdoc/>
    protected override void ResetWorld(Span<byte> observation, int? seed)
    {
        if (!_fresh)
        {
            // Broken until the relaunch succeeds: if it throws, the clock (still running after a wrapper's truncation)
            // must find a crash to end the world with, not a game without memory.
            _broken = true;
            try
            {
                _controls.Dispose();
                _game.Relaunch();
                (_resizer, _controls) = Attach();
            }
            catch (Exception e)
            {
                _brokenBecause = $"the relaunch failed: {e.GetType().Name}: {e.Message}";
                throw;
            }
        }

        _fresh = false;
        _broken = false;
        _gamePaused = false;
        _reachedGoal = false;
        _failedReads = 0;
        var memory = _game.Memory!;
        var x = (float)memory.Read(_x);
        Volatile.Write(ref _posX, x);
        Volatile.Write(ref _posY, (float)memory.Read(_y));
        _bestX = _lastX = x;
        _startCoins = _lastCoins = memory.Read(_coins);
        _episodeStart = _lastChange = Stopwatch.GetTimestamp();
        _jumpHeld = false;
        _ = Capture(observation);
        WriteFeatures(observation, 0);
    }

    /// <inheritdoc/>
    protected override StepResult TickWorld(ReadOnlySpan<int> action, Span<byte> observation)
    {
        if (_game.ExitCode is { } code)
        {
            // SuperTux exits with 0 after the goal's end sequence; anything else is a crash.
            return code == 0 ? Finish() : Crash($"the game exited with code {code}");
        }

        if (_broken)
        {
            return Crash(_brokenBecause ?? "the game is in an unknown state");
        }

        try
        {
            if (action.IsEmpty)
            {
                _controls.ReleaseAll();
                _jumpHeld = false;
            }
            else
            {
                _controls.Act(action[0]);
                _jumpHeld = _holdsJump[action[0]];
            }
        }
        catch (InvalidOperationException e)
        {
            // The game did not take its pause key back (it no longer answers it): the episode ends, the reset relaunches.
            return Crash($"the game did not answer its pause key: {e.Message}");
        }

        var memory = _game.Memory!;
        if (!memory.TryRead(_x, out var xValue) || !memory.TryRead(_y, out var yValue) || !memory.TryRead(_coins, out var coins))
        {
            return ++_failedReads >= MaxFailedReads ? FinishedOrCrashed($"its memory could not be read {MaxFailedReads} times in a row") : default;
        }

        _failedReads = 0;
        bool? pictureChanged;
        try
        {
            pictureChanged = Capture(observation);
        }
        catch (X11Exception e)
        {
            return FinishedOrCrashed($"its window could not be captured: {e.Message}");
        }

        var x = (float)xValue;
        if (IsHung(pictureChanged, moved: x != _lastX || (float)yValue != Y))
        {
            return Hang();
        }

        Volatile.Write(ref _posX, x);
        Volatile.Write(ref _posY, (float)yValue);
        var reward = (Math.Max(0, x - _bestX) * _options.ProgressReward) + (float)(Math.Max(0, coins - _lastCoins) * _options.CoinReward);
        _bestX = Math.Max(_bestX, x);
        WriteFeatures(observation, x - _lastX);
        _lastX = x;
        _lastCoins = coins;
        if (x >= _finishX)
        {
            return Finish() with { Reward = reward + _options.FinishReward };
        }

        if (yValue > SuperTuxLevel.BottomY)
        {
            FallCount++;
            _controls.ReleaseAll();
            return new StepResult(reward + _options.DeathReward, Terminated: true, Truncated: false);
        }

        return new StepResult(reward, Terminated: false, Truncated: false);
    }

    /// <summary>Stops the game's own clock with its pause.</summary>
    /// <remarks>An ended episode is left alone (the reset relaunches the game); a game that does not show its pause is broken and truncates at the next tick.</remarks>
    protected override void OnPaused()
    {
        if (HasWorldEnded || _broken || _game.ExitCode is not null)
        {
            return;
        }

        try
        {
            _controls.Pause();
            _gamePaused = true;
        }
        catch (InvalidOperationException e)
        {
            // No pause shown: the next tick ends the episode.
            _brokenBecause = $"the game did not pause: {e.Message}";
            _broken = true;
        }
        catch (X11Exception)
        {
            // The window is gone (the game is exiting after the finish): the next tick tells a finish from a crash.
        }
    }

    /// <summary>Restarts the game's own clock.</summary>
    protected override void OnResuming()
    {
        if (!_gamePaused)
        {
            return;
        }

        _gamePaused = false;

        // The pause showed a still picture on purpose: the hang check starts over.
        _lastChange = Stopwatch.GetTimestamp();
        try
        {
            _controls.Resume();
        }
        catch (InvalidOperationException e)
        {
            _brokenBecause = $"the game did not resume: {e.Message}";
            _broken = true;
        }
        catch (X11Exception)
        {
            // The window is gone (the game is exiting after the finish): the next tick tells a finish from a crash.
        }
    }

    /// <summary>Stops the ticks, then the game and its Xvfb (by pid), and deletes the level folder.</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _controls.Dispose();
            _game.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // The game may still hold a file for a moment; a temp folder left behind is harmless.
            }
        }
    }

    private (GrayAreaResizer Resizer, GameControls Controls) Attach()
    {
        var memory = _game.Memory!;
        _x = memory.IndexOf("x");
        _y = memory.IndexOf("y");
        _coins = memory.IndexOf("coins");
        var keys = new KeyActions(_game.Keyboard, [.. _options.Actions.Select(SuperTuxActions.Keys)]);
        var pause = new KeyTogglePause(_game.Keyboard, _game.Frames, SuperTuxGame.PauseKey);
        var idle = _options.IdlePauseSeconds > 0 ? TimeSpan.FromSeconds(_options.IdlePauseSeconds) : (TimeSpan?)null;
        return (new GrayAreaResizer(_game.Frames.Width, _game.Frames.Height, _options.FrameSize, _options.FrameSize), new GameControls(keys, pause, idle, WorldSpeed));
    }

    // The speed the generated level's init script sets; a level file of the user's runs at the speed it sets itself, unknown here.
    private static double WorldSpeedOf(SuperTuxOptions options) => options.LevelFile is null ? options.GameSpeed ?? 1 : 1;

    /// <summary>Captures the window into the observation's frame; returns whether the window changed since the last hang check, or null between checks.</summary>
    private bool? Capture(Span<byte> observation)
    {
        var frame = _frames is { } part ? part.Get<byte>(observation) : observation;
        var window = _game.Frames.Capture();
        _resizer.Convert(window, frame);
        var now = Stopwatch.GetTimestamp();
        if (_hangAfter == 0 || now < _nextHangCheck)
        {
            return null;
        }

        // Exact comparison of the whole window: an idle scene differs from a frozen one only in small details.
        _nextHangCheck = now + _hangCheckInterval;
        var pixels = window.Pixels;
        if (_hangFrame.Length != pixels.Length)
        {
            _hangFrame = new byte[pixels.Length];
            pixels.CopyTo(_hangFrame);
            return true;
        }

        if (pixels.SequenceEqual(_hangFrame))
        {
            return false;
        }

        pixels.CopyTo(_hangFrame);
        return true;
    }

    /// <summary>Whether the game has stood still too long while it should play (its own idle pause shows a still picture on purpose).</summary>
    private bool IsHung(bool? pictureChanged, bool moved)
    {
        var now = Stopwatch.GetTimestamp();
        if (pictureChanged == true || moved || _hangAfter == 0 || _controls.IsPaused)
        {
            _lastChange = now;
            return false;
        }

        return now - _lastChange > _hangAfter;
    }

    private StepResult Hang()
    {
        HangCount++;
        Volatile.Write(ref _lastFault, $"SuperTux hang {HangCount}: the same picture and position for {_options.HangSeconds} s while it should play");
        _controls.ReleaseAll();
        return new StepResult(0, Terminated: false, Truncated: true);
    }

    private void WriteFeatures(Span<byte> observation, float dx)
    {
        if (_features is not { } part)
        {
            return;
        }

        var features = part.Get<float>(observation);
        features[0] = Math.Clamp(X / 1000, -100, 100);
        features[1] = Math.Clamp(Y / 1000, -100, 100);
        features[2] = Math.Clamp(dx / 10, -100, 100);
        features[3] = Math.Clamp((float)(_lastCoins - _startCoins) / 10, -100, 100);
        features[4] = Math.Clamp((float)Stopwatch.GetElapsedTime(_episodeStart).TotalSeconds / 100, 0, 100);
        features[5] = _jumpHeld ? 1 : 0;
    }

    private StepResult Finish()
    {
        FinishCount++;
        Volatile.Write(ref _reachedGoal, true);
        _controls.ReleaseAll();
        return new StepResult(_options.FinishReward, Terminated: true, Truncated: false);
    }

    // A game that finished tears down its window and memory a moment before it exits (with 0): its exit code tells a
    // finish from a crash.
    private StepResult FinishedOrCrashed(string crashReason) =>
        _game.WaitForExit(_game.Options.StopGrace) == 0 ? Finish() : Crash(crashReason);

    private StepResult Crash(string why)
    {
        CrashCount++;
        Volatile.Write(ref _lastFault, $"SuperTux crash {CrashCount}: {why}");
        return new StepResult(0, Terminated: false, Truncated: true);
    }
}
