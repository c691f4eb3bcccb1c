namespace Tempo.Games.Imaging;

/// <summary>A captured frame: 32-bit pixels in B, G, R, A byte order, rows <see cref="Stride"/> bytes apart. Valid until the next capture.</summary>
public readonly ref struct BgraFrame
{
    /// <summary>Wraps captured pixels.</summary>
    /// <param name="pixels">At least <paramref name="stride"/> × (<paramref name="height"/> − 1) + 4 × <paramref name="width"/> bytes.</param>
    /// <param name="width">Pixels per row.</param>
    /// <param name="height">Rows.</param>
    /// <param name="stride">Bytes from one row to the next.</param>
    public BgraFrame(ReadOnlySpan<byte> pixels, int width, int height, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, width * 4);
        if (pixels.Length < ((long)stride * (height - 1)) + (width * 4L))
        {
            throw new ArgumentException($"a {width}x{height} frame with stride {stride} needs {((long)stride * (height - 1)) + (width * 4L)} bytes, got {pixels.Length}", nameof(pixels));
        }

        Pixels = pixels;
        Width = width;
        Height = height;
        Stride = stride;
    }

    /// <summary>The pixel bytes.</summary>
    public ReadOnlySpan<byte> Pixels { get; }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Bytes from one row to the next.</summary>
    public int Stride { get; }

    /// <summary>One row's pixels (4 × <see cref="Width"/> bytes).</summary>
    public ReadOnlySpan<byte> Row(int y) => Pixels.Slice(y * Stride, Width * 4);
}
