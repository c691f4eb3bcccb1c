using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Tempo.Games.Native;

namespace Tempo.Games.X11;

/// <summary>One connection to an X server (a display such as ":99"); the capture and keyboard of one game share it.</summary>
/// <remarks>
/// Xlib's default error handler ends the process on any protocol error, which a game window that vanishes (the game
/// crashed) would trigger; Tempo installs, once per process, a handler that records the error for the display it
/// happened on instead, and the call that caused it reports it as an <see cref="X11Exception"/>. Calls on one
/// display are serialised by <see cref="Gate"/>.
/// </remarks>
public sealed class X11Display : IDisposable
{
    private static readonly ConcurrentDictionary<nint, byte> _errors = new();
    private static readonly Lock _handlerGate = new();
    private static bool _handlerInstalled;
    private bool _disposed;

    private X11Display(string name, nint handle)
    {
        Name = name;
        Handle = handle;
        Root = X11Native.XDefaultRootWindow(handle);
    }

    /// <summary>The display name, e.g. ":99".</summary>
    public string Name { get; }

    /// <summary>The root window.</summary>
    public ulong Root { get; }

    /// <summary>Serialises the calls made on this connection.</summary>
    public Lock Gate { get; } = new();

    internal nint Handle { get; }

    /// <summary>Connects to <paramref name="name"/>; throws <see cref="X11Exception"/> naming the display when it does not answer.</summary>
    /// <param name="name">The display, e.g. ":99".</param>
    public static X11Display Open(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        InstallErrorHandler();
        var handle = X11Native.XOpenDisplay(name);
        if (handle == 0)
        {
            throw new X11Exception($"cannot connect to X display '{name}' (is the X server running?)");
        }

        return new X11Display(name, handle);
    }

    /// <summary>Interns an atom by name.</summary>
    public ulong Atom(string name)
    {
        lock (Gate)
        {
            return X11Native.XInternAtom(Handle, name, false);
        }
    }

    /// <summary>Waits until the server processed every request and throws if one of them failed.</summary>
    /// <param name="what">What was being done, for the error message.</param>
    public void SyncAndCheck(string what)
    {
        lock (Gate)
        {
            X11Native.XSync(Handle, 0);
            ThrowIfFailed(what);
        }
    }

    /// <summary>Throws <see cref="X11Exception"/> when a request on this display failed since the last check. Call under <see cref="Gate"/>.</summary>
    internal void ThrowIfFailed(string what)
    {
        if (_errors.TryRemove(Handle, out var code))
        {
            throw new X11Exception($"X error {code} ({ErrorName(code)}) on display '{Name}' while {what}");
        }
    }

    /// <summary>Forgets a failed request on this display (teardown of a window that may be gone). Call under <see cref="Gate"/>.</summary>
    internal void ForgetError() => _errors.TryRemove(Handle, out _);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (Gate)
        {
            X11Native.XCloseDisplay(Handle);
            _errors.TryRemove(Handle, out _);
        }
    }

    private static string ErrorName(byte code) => code switch
    {
        3 => "BadWindow",
        8 => "BadMatch",
        9 => "BadDrawable",
        10 => "BadAccess",
        11 => "BadAlloc",
        _ => "see X.h",
    };

    private static unsafe void InstallErrorHandler()
    {
        lock (_handlerGate)
        {
            if (_handlerInstalled)
            {
                return;
            }

            // Each game's capture and keyboard may run on different threads; Xlib must know before the first connection.
            X11Native.XInitThreads();
            X11Native.XSetErrorHandler(&OnError);
            _handlerInstalled = true;
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe int OnError(nint display, nint errorEvent)
    {
        var error = (X11Native.XErrorEvent*)errorEvent;
        _errors[display] = error->ErrorCode;
        return 0;
    }
}

/// <summary>An X server refused a connection or a request.</summary>
public sealed class X11Exception : Exception
{
    /// <summary>Creates the exception.</summary>
    public X11Exception()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public X11Exception(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public X11Exception(string message, Exception inner)
        : base(message, inner)
    {
    }
}
