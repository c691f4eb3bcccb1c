namespace Tempo.Core.Rendering;

/// <summary>A 24-bit colour: one byte each of red, green and blue.</summary>
/// <param name="R">Red intensity.</param>
/// <param name="G">Green intensity.</param>
/// <param name="B">Blue intensity.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Pure white, the background of every classic-control frame.</summary>
    public static Rgb White => new(255, 255, 255);

    /// <summary>Pure black.</summary>
    public static Rgb Black => new(0, 0, 0);
}
