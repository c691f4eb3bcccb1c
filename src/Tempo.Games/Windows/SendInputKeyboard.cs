using System.Runtime.Versioning;
using Tempo.Games.Input;

namespace Tempo.Games.Windows;

/// <summary>
/// Key events through SendInput (scan codes, which DirectInput and SDL games read), delivered to the foreground window.
/// Key names are the X11 keysym names the Linux back end takes, so one key action table serves both. Events queue in a
/// preallocated buffer until <see cref="Flush"/>: no allocation per action. Untested in this repository's CI.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed unsafe class SendInputKeyboard : IKeyboard
{
    private static readonly Dictionary<string, (ushort Key, bool Extended)> _virtualKeys = new(StringComparer.Ordinal)
    {
        ["Left"] = (0x25, true),
        ["Up"] = (0x26, true),
        ["Right"] = (0x27, true),
        ["Down"] = (0x28, true),
        ["space"] = (0x20, false),
        ["Return"] = (0x0D, false),
        ["Escape"] = (0x1B, false),
        ["Tab"] = (0x09, false),
        ["Shift_L"] = (0xA0, false),
        ["Control_L"] = (0xA2, false),
        ["Alt_L"] = (0xA4, false),
        ["Pause"] = (0x13, false),
    };

    private readonly Win32Native.Input[] _queue = new Win32Native.Input[128];
    private int _count;

    /// <summary>Creates the keyboard.</summary>
    public SendInputKeyboard()
    {
        if (!OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("SendInputKeyboard needs Windows; on Linux use X11.XTestKeyboard");
        }
    }

    /// <inheritdoc/>
    public int Resolve(string keyName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyName);
        if (_virtualKeys.TryGetValue(keyName, out var known))
        {
            return known.Key | (known.Extended ? 0x10000 : 0);
        }

        // Letters and digits: their virtual-key codes are their upper-case ASCII codes.
        if (keyName.Length == 1 && char.IsAsciiLetterOrDigit(keyName[0]))
        {
            return char.ToUpperInvariant(keyName[0]);
        }

        throw new ArgumentException($"unknown key '{keyName}' (use X11 keysym names: Right, Left, space, Return, Escape, Control_L, a..z, 0..9)", nameof(keyName));
    }

    /// <inheritdoc/>
    public void Send(int keyCode, bool down)
    {
        if (_count == _queue.Length)
        {
            Flush();
        }

        var virtualKey = (ushort)(keyCode & 0xFFFF);
        _queue[_count++] = new Win32Native.Input
        {
            Type = Win32Native.InputKeyboard,
            VirtualKey = virtualKey,
            ScanCode = (ushort)Win32Native.MapVirtualKeyW(virtualKey, 0),
            Flags = (down ? 0 : Win32Native.KeyEventKeyUp) | ((keyCode & 0x10000) != 0 ? Win32Native.KeyEventExtendedKey : 0),
        };
    }

    /// <inheritdoc/>
    public void Flush()
    {
        if (_count == 0)
        {
            return;
        }

        fixed (Win32Native.Input* inputs = _queue)
        {
            var sent = Win32Native.SendInput((uint)_count, inputs, sizeof(Win32Native.Input));
            _count = 0;
            if (sent == 0)
            {
                throw new InvalidOperationException("SendInput delivered no key event (blocked by UIPI: run at the game's integrity level)");
            }
        }
    }
}
