using System.Diagnostics;
using Tempo.Games.Display;
using Tempo.Games.Imaging;
using Tempo.Games.Memory;
using Tempo.Games.X11;

namespace Tempo.Games.Supervision;

/// <summary>
/// One running game on its own virtual display: launched, brought to play, watched, and relaunched when it dies.
/// Gives the back ends a game env composes: <see cref="Frames"/> (the game's window, copied from the Xvfb's shared-memory
/// framebuffer without a request per frame; through MIT-SHM on a display given in <see cref="GameLaunchOptions.Display"/>),
/// <see cref="Keyboard"/> (XTEST) and <see cref="Memory"/> (pointer chains over <c>/proc/PID/mem</c>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Launch.</b> Starts Xvfb (one per instance, <c>-displayfd</c>), then the game with <c>DISPLAY</c> set; finds its
/// window by <c>_NET_WM_PID</c>; waits until the first frame changes; presses the skip keys until
/// <see cref="GameLaunchOptions.IsPlayable"/> holds; then opens the memory and validates the chains. A failed attempt
/// stops the game and tries again, up to <see cref="GameLaunchOptions.MaxLaunchAttempts"/>.
/// </para>
/// <para>
/// <b>Health.</b> <see cref="CheckHealth"/> reports an exited process, frozen frames, or failing memory reads;
/// <see cref="Relaunch"/> starts the game again on the same display and reattaches every back end (the objects behind
/// <see cref="Frames"/>, <see cref="Keyboard"/> and <see cref="Memory"/> are replaced: read them anew after a relaunch).
/// </para>
/// <para>Dispose stops the game (TERM, KILL after <see cref="GameLaunchOptions.StopGrace"/>) and then Xvfb, each by its pid.</para>
/// </remarks>
public sealed class GameInstance : IDisposable
{
    private const int ThumbWidth = 32;
    private const int ThumbHeight = 24;

    private readonly XvfbServer? _xvfb;
    private readonly XvfbFramebuffer? _framebuffer;
    private readonly X11Display _display;
    private readonly byte[] _thumb = new byte[ThumbWidth * ThumbHeight];
    private readonly byte[] _lastThumb = new byte[ThumbWidth * ThumbHeight];
    private Process? _process;
    private IFrameSource? _frames;
    private XTestKeyboard? _keyboard;
    private LinuxProcessMemory? _processMemory;
    private GameMemory? _memory;
    private GrayAreaResizer? _thumbnails;
    private byte[] _lastFrame = [];
    private long _lastFrameChange;
    private int _failedReads;
    private bool _disposed;

    private GameInstance(GameLaunchOptions options, XvfbServer? xvfb, XvfbFramebuffer? framebuffer, X11Display display)
    {
        Options = options;
        _xvfb = xvfb;
        _framebuffer = framebuffer;
        _display = display;
    }

    /// <summary>The options the game was launched with.</summary>
    public GameLaunchOptions Options { get; }

    /// <summary>The game's virtual display, e.g. ":3".</summary>
    public string DisplayName => _display.Name;

    /// <summary>The pid of the instance's Xvfb (for CPU accounting).</summary>
    /// <exception cref="InvalidOperationException">The game runs on a display given in <see cref="GameLaunchOptions.Display"/>, not on an Xvfb of its own.</exception>
    public int DisplayServerProcessId => _xvfb?.ProcessId ?? throw new InvalidOperationException($"the game runs on the given display {_display.Name}, not on an Xvfb of its own");

    /// <summary>Whether the game runs on a private Xvfb the instance started (and stops), rather than on a given display.</summary>
    public bool OwnsDisplay => _xvfb is not null;

    /// <summary>The game's pid (a new one after each relaunch).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("the game is not running");

    /// <summary>Captures the game's window: from the framebuffer of the instance's own Xvfb, else through MIT-SHM.</summary>
    public IFrameSource Frames => _frames ?? throw new InvalidOperationException("the game is not running");

    /// <summary>Presses keys in the game's window.</summary>
    public XTestKeyboard Keyboard => _keyboard ?? throw new InvalidOperationException("the game is not running");

    /// <summary>The game's values through its pointer chains; null when the options have no chains.</summary>
    public GameMemory? Memory => _memory;

    /// <summary>Launches since creation (the first included).</summary>
    public int LaunchCount { get; private set; }

    /// <summary>Relaunches after the game exited, froze or lost its memory.</summary>
    public int RelaunchCount { get; private set; }

    /// <summary>Seconds from the last (re)launch request to play.</summary>
    public double LastLaunchSeconds { get; private set; }

    /// <summary>The exit code once the game exited, else null.</summary>
    public int? ExitCode => _process is { } p && ProcessStopper.HasExited(p) ? p.ExitCode : null;

    /// <summary>Waits up to <paramref name="timeout"/> for the game's process to end; returns its exit code, or null while it still runs.</summary>
    /// <remarks>For a window that vanished: a game ending by itself (SuperTux after the goal) destroys its window a moment before it exits.</remarks>
    public int? WaitForExit(TimeSpan timeout) => _process is { } p && p.WaitForExit(timeout) ? p.ExitCode : ExitCode;

    /// <summary>Starts a virtual display (unless <see cref="GameLaunchOptions.Display"/> names one) and the game on it, and waits until the game is playable.</summary>
    /// <exception cref="GameLaunchException">Every attempt failed; the message names the last reason.</exception>
    /// <exception cref="X11Exception">The given display could not be opened.</exception>
    public static GameInstance Launch(GameLaunchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var xvfb = options.Display is null ? XvfbServer.Start(options.ScreenWidth, options.ScreenHeight) : null;
        X11Display? display = null;
        XvfbFramebuffer? framebuffer = null;
        try
        {
            // Only the Xvfb Tempo started has a framebuffer Tempo may read; a user's display is captured through requests.
            framebuffer = xvfb?.FramebufferSegment is not null ? xvfb.OpenFramebuffer() : null;
            display = X11Display.Open(xvfb?.DisplayName ?? options.Display!);
            var instance = new GameInstance(options, xvfb, framebuffer, display);
            try
            {
                instance.StartWithRetries();
                return instance;
            }
            catch
            {
                instance.Dispose();
                throw;
            }
        }
        catch when (display is null)
        {
            framebuffer?.Dispose();
            xvfb?.Dispose();
            throw;
        }
    }

    /// <summary>Looks at the game: exited, frozen, memory failing, or running. Captures one frame; call it at most a few times a second.</summary>
    /// <remarks>
    /// Frozen means not one pixel changed for <see cref="GameLaunchOptions.FrozenAfter"/>: a game that shows a perfectly
    /// still picture that long (its own pause menu, for one) looks frozen, so check health only while the game plays.
    /// </remarks>
    public GameHealth CheckHealth()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_process is null || ProcessStopper.HasExited(_process))
        {
            return GameHealth.Exited;
        }

        if (_memory is not null)
        {
            _failedReads = _memory.TryRead(0, out _) ? 0 : _failedReads + 1;
            if (_failedReads >= Options.MaxFailedReads)
            {
                return GameHealth.MemoryFailing;
            }
        }

        try
        {
            // Exact comparison: an idle scene differs from a frozen one only in small details (a spinning coin).
            var now = Stopwatch.GetTimestamp();
            var frame = Frames.Capture().Pixels;
            if (_lastFrame.Length != frame.Length || !frame.SequenceEqual(_lastFrame))
            {
                _lastFrameChange = now;
                if (_lastFrame.Length != frame.Length)
                {
                    _lastFrame = new byte[frame.Length];
                }

                frame.CopyTo(_lastFrame);
            }

            if (Options.FrozenAfter is { } frozenAfter && Stopwatch.GetElapsedTime(_lastFrameChange, now) > frozenAfter)
            {
                return GameHealth.Frozen;
            }
        }
        catch (X11Exception)
        {
            // The window vanished: the process is going away.
            return ProcessStopper.HasExited(_process) ? GameHealth.Exited : GameHealth.Frozen;
        }

        return GameHealth.Running;
    }

    /// <summary>Stops the game if it still runs, starts it again on the same display, and reattaches capture, keys and memory.</summary>
    /// <exception cref="GameLaunchException">Every attempt failed.</exception>
    public void Relaunch()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RelaunchCount++;
        StartWithRetries();
    }

    /// <summary>Captures the window and returns the mean absolute difference (0–255) between its 32×24 gray thumbnail and the previous one.</summary>
    public double MeasureFrameChange()
    {
        var frames = _frames ?? throw new InvalidOperationException("the game is not running");
        _thumb.CopyTo(_lastThumb, 0);
        _thumbnails!.Convert(frames.Capture(), _thumb);
        long diff = 0;
        for (var i = 0; i < _thumb.Length; i++)
        {
            diff += Math.Abs(_thumb[i] - _lastThumb[i]);
        }

        return (double)diff / _thumb.Length;
    }

    /// <summary>The mean gray level (0–255) of the window now.</summary>
    public double MeanGray()
    {
        MeasureFrameChange();
        long sum = 0;
        foreach (var b in _thumb)
        {
            sum += b;
        }

        return (double)sum / _thumb.Length;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        StopGame();
        _framebuffer?.Dispose();
        _display.Dispose();
        _xvfb?.Dispose();
    }

    private void StartWithRetries()
    {
        var started = Stopwatch.GetTimestamp();
        Exception? last = null;
        for (var attempt = 1; attempt <= Options.MaxLaunchAttempts; attempt++)
        {
            StopGame();
            try
            {
                StartOnce();
                LaunchCount++;
                LastLaunchSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                return;
            }
            catch (Exception e) when (e is GameLaunchException or X11Exception or GameMemoryException)
            {
                last = e;
            }
        }

        StopGame();
        throw new GameLaunchException($"'{Options.Executable}' did not become playable in {Options.MaxLaunchAttempts} attempts; last: {last!.Message}", last);
    }

    private void StartOnce()
    {
        // Its own session: a terminal's Ctrl-C stops the run, which then stops the game by pid.
        var info = OwnSession.For(Options.Executable);
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.WorkingDirectory = Options.WorkingDirectory ?? "";
        foreach (var argument in Options.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Options.Environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["DISPLAY"] = _display.Name;
        try
        {
            _process = OwnSession.Start(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GameLaunchException($"could not start '{Options.Executable}': {e.Message}", e);
        }

        // Games write to stdout/stderr freely; drain both so a full pipe never blocks the game.
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.GetTimestamp() + (long)(Options.ReadyTimeout.TotalSeconds * Stopwatch.Frequency);
        var window = WaitFor(deadline, "its window to appear", FindWindow);
        _frames = _framebuffer is not null ? new FramebufferCapture(_display, window, _framebuffer) : new ShmCapture(_display, window);
        _keyboard = new XTestKeyboard(_display);
        _thumbnails = new GrayAreaResizer(_frames.Width, _frames.Height, ThumbWidth, ThumbHeight);
        MeasureFrameChange();
        WaitFor(deadline, "its first frame to change", () => MeasureFrameChange() > 0.5 ? true : (bool?)null);

        var skips = 0;
        while (!(Options.IsPlayable?.Invoke(this) ?? (skips > 0 || Options.SkipKeys.Count == 0)))
        {
            RequireBefore(deadline, "play (past its intro)");
            if (Options.SkipKeys.Count > 0)
            {
                var code = _keyboard.Resolve(Options.SkipKeys[skips % Options.SkipKeys.Count]);
                _keyboard.Send(code, true);
                _keyboard.Flush();
                Thread.Sleep(30);
                _keyboard.Send(code, false);
                _keyboard.Flush();
            }

            skips++;
            Thread.Sleep(Options.SkipInterval);
        }

        if (Options.Chains is { } chains)
        {
            _processMemory = new LinuxProcessMemory(_process.Id);
            _memory = new GameMemory(_processMemory, chains);
            _memory.Validate();
        }

        _lastFrameChange = Stopwatch.GetTimestamp();
        _failedReads = 0;
    }

    // A window of the game stopped just before (a relaunch on the same display) may vanish while the tree is listed:
    // that BadWindow means "not yet", and the wait looks again.
    private ulong? FindWindow()
    {
        try
        {
            return WindowFinder.FindByPid(_display, _process!.Id);
        }
        catch (X11Exception)
        {
            return null;
        }
    }

    private T WaitFor<T>(long deadline, string what, Func<T?> probe)
        where T : struct
    {
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }

            RequireBefore(deadline, what);
            Thread.Sleep(20);
        }
    }

    private void RequireBefore(long deadline, string what)
    {
        if (_process is { } p && ProcessStopper.HasExited(p))
        {
            throw new GameLaunchException($"'{Options.Executable}' exited with code {p.ExitCode} while waiting for {what}");
        }

        if (Stopwatch.GetTimestamp() > deadline)
        {
            throw new GameLaunchException($"'{Options.Executable}' did not reach {what} within {Options.ReadyTimeout.TotalSeconds} s");
        }
    }

    private void StopGame()
    {
        _frames?.Dispose();
        _frames = null;
        _keyboard = null;
        _memory = null;
        _processMemory?.Dispose();
        _processMemory = null;
        if (_process is { } process)
        {
            ProcessStopper.Stop(process, Options.StopGrace);
            process.Dispose();
            _process = null;
        }
    }
}

/// <summary>A game could not be brought to play.</summary>
public sealed class GameLaunchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GameLaunchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public GameLaunchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public GameLaunchException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
