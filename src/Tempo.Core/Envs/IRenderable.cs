namespace Tempo.Core.Envs;

/// <summary>An environment that can draw its current state as an RGB frame.</summary>
public interface IRenderable
{
    /// <summary>Frame width in pixels.</summary>
    int FrameWidth { get; }

    /// <summary>Frame height in pixels.</summary>
    int FrameHeight { get; }

    /// <summary>Draws the current state as packed RGB24, row-major, top row first (<c>FrameHeight × FrameWidth × 3</c> bytes).</summary>
    void Render(Span<byte> rgb);
}
