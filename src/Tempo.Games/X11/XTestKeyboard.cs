using Tempo.Games.Input;
using Tempo.Games.Native;

namespace Tempo.Games.X11;

/// <summary>Key events injected through the XTEST extension; they go to the window that has the focus, as real key presses.</summary>
/// <remarks>Without a window manager the focus follows the pointer root, so a game window that covers the screen receives them.</remarks>
public sealed class XTestKeyboard : IKeyboard
{
    private readonly X11Display _display;

    /// <summary>Creates a keyboard on <paramref name="display"/>; throws when the server has no XTEST.</summary>
    public XTestKeyboard(X11Display display)
    {
        _display = display ?? throw new ArgumentNullException(nameof(display));
        lock (display.Gate)
        {
            if (X11Native.XTestQueryExtension(display.Handle, out _, out _, out _, out _) == 0)
            {
                throw new X11Exception($"display '{display.Name}' has no XTEST extension");
            }
        }
    }

    /// <inheritdoc/>
    public int Resolve(string keyName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyName);
        lock (_display.Gate)
        {
            var keysym = X11Native.XStringToKeysym(keyName);
            var code = keysym == 0 ? (byte)0 : X11Native.XKeysymToKeycode(_display.Handle, keysym);
            if (code == 0)
            {
                throw new ArgumentException($"unknown key '{keyName}' on display '{_display.Name}' (use X11 keysym names: Right, Left, space, Return, Escape, Control_L, a..z)", nameof(keyName));
            }

            return code;
        }
    }

    /// <inheritdoc/>
    public void Send(int keyCode, bool down)
    {
        lock (_display.Gate)
        {
            X11Native.XTestFakeKeyEvent(_display.Handle, (uint)keyCode, down ? 1 : 0, 0);
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
        lock (_display.Gate)
        {
            X11Native.XFlush(_display.Handle);
        }
    }
}
