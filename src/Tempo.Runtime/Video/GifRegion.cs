namespace Tempo.Runtime.Video;

/// <summary>A rectangle of a frame in pixels: the part of the canvas one GIF image covers.</summary>
internal readonly record struct GifRegion(int Left, int Top, int Width, int Height)
{
    /// <summary>Number of pixels in the rectangle.</summary>
    public int Area => Width * Height;
}
