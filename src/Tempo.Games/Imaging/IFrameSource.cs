namespace Tempo.Games.Imaging;

/// <summary>Captures a game window's current picture (MIT-SHM on X11; GDI on Windows).</summary>
public interface IFrameSource : IDisposable
{
    /// <summary>The window's width in pixels.</summary>
    int Width { get; }

    /// <summary>The window's height in pixels.</summary>
    int Height { get; }

    /// <summary>Grabs the window's current picture; the frame stays valid until the next call. Allocates nothing.</summary>
    BgraFrame Capture();
}
