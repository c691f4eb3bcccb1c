namespace Tempo.Games.Input;

/// <summary>Presses and releases keys in a game window (XTEST on X11; SendInput on Windows).</summary>
public interface IKeyboard
{
    /// <summary>The key code of a key name (X11 keysym names such as "Right", "space", "Return", "Escape"); throws naming the key when unknown.</summary>
    int Resolve(string keyName);

    /// <summary>Presses (<paramref name="down"/>) or releases a key by code; delivered at the next <see cref="Flush"/>.</summary>
    void Send(int keyCode, bool down);

    /// <summary>Delivers the key events sent so far.</summary>
    void Flush();
}
