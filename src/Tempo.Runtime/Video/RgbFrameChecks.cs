using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Tempo.Runtime.Video;

/// <summary>Boundary checks shared by the video writers: frame sizes, lengths and rates.</summary>
internal static class RgbFrameChecks
{
    /// <summary>Throws unless width and height are positive and one RGB24 frame fits in an array.</summary>
    public static void RequireSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height * 3 > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}×{height} RGB24 frame needs {(long)width * height * 3} bytes, more than an array can hold.");
        }
    }

    /// <summary>Throws unless the frame rate is finite and positive.</summary>
    public static void RequireFrameRate(double framesPerSecond)
    {
        if (!double.IsFinite(framesPerSecond) || framesPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, "The frame rate must be a finite number of frames per second greater than zero.");
        }
    }

    /// <summary>Throws unless a frame has exactly <c>width × height × 3</c> bytes.</summary>
    public static void RequireFrameLength(int length, int width, int height, string paramName)
    {
        if (length != width * height * 3)
        {
            ThrowWrongFrameLength(length, width, height, paramName);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongFrameLength(int length, int width, int height, string paramName) =>
        throw new ArgumentException($"A frame must be {width}×{height} RGB24, {width * height * 3} bytes; got {length} bytes.", paramName);
}
