using System.Numerics;
using System.Runtime.InteropServices;

namespace Tempo.Games.Imaging;

/// <summary>
/// Turns BGRA frames of one size into gray bytes of another: luma (ITU-R BT.601 weights 77/150/29 out of 256) averaged
/// over the box of source pixels each output pixel covers. SIMD over the source rows; allocates nothing per frame.
/// </summary>
/// <remarks>
/// Output pixel (x, y) averages source columns [x·W/w, (x+1)·W/w) and rows [y·H/h, (y+1)·H/h) (integer edges, at least
/// one pixel): an exact area average when the sizes divide (640×480 → 64×48), the nearest pixel when enlarging. The
/// weighted sums are kept whole and divided once per output pixel, so the only rounding is the final one.
/// Not thread-safe: one resizer per capture loop.
/// </remarks>
public sealed class GrayAreaResizer
{
    private const uint RedWeight = 77;
    private const uint GreenWeight = 150;
    private const uint BlueWeight = 29;

    private readonly int[] _columnStart;
    private readonly int[] _columnEnd;
    private readonly int[] _rowStart;
    private readonly int[] _rowEnd;
    private readonly uint[] _columnSums;

    /// <summary>Creates a resizer from <paramref name="sourceWidth"/>×<paramref name="sourceHeight"/> frames to <paramref name="width"/>×<paramref name="height"/> gray bytes.</summary>
    public GrayAreaResizer(int sourceWidth, int sourceHeight, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)sourceHeight * 255 * 256 > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(sourceHeight), sourceHeight, "frames taller than 65,793 rows overflow the column sums");
        }

        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        Width = width;
        Height = height;
        (_columnStart, _columnEnd) = Boxes(sourceWidth, width);
        (_rowStart, _rowEnd) = Boxes(sourceHeight, height);
        _columnSums = new uint[sourceWidth + Vector<uint>.Count];
    }

    /// <summary>Source frame width.</summary>
    public int SourceWidth { get; }

    /// <summary>Source frame height.</summary>
    public int SourceHeight { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Writes <paramref name="frame"/> as <see cref="Width"/>×<see cref="Height"/> gray bytes, row by row, into <paramref name="destination"/>.</summary>
    public void Convert(BgraFrame frame, Span<byte> destination)
    {
        if (frame.Width != SourceWidth || frame.Height != SourceHeight)
        {
            throw new ArgumentException($"the resizer takes {SourceWidth}x{SourceHeight} frames, got {frame.Width}x{frame.Height}", nameof(frame));
        }

        if (destination.Length < Width * Height)
        {
            throw new ArgumentException($"a {Width}x{Height} gray image needs {Width * Height} bytes, got {destination.Length}", nameof(destination));
        }

        var sums = _columnSums.AsSpan(0, SourceWidth);
        for (var y = 0; y < Height; y++)
        {
            sums.Clear();
            var rowStart = _rowStart[y];
            var rowEnd = _rowEnd[y];
            for (var row = rowStart; row < rowEnd; row++)
            {
                AccumulateLuma(frame.Row(row), _columnSums);
            }

            var rows = (ulong)(rowEnd - rowStart);
            var output = destination.Slice(y * Width, Width);
            for (var x = 0; x < Width; x++)
            {
                var columnStart = _columnStart[x];
                var columnEnd = _columnEnd[x];
                ulong sum = 0;
                for (var c = columnStart; c < columnEnd; c++)
                {
                    sum += sums[c];
                }

                var weight = rows * (ulong)(columnEnd - columnStart) * 256;
                output[x] = (byte)((sum + (weight / 2)) / weight);
            }
        }
    }

    /// <summary>Adds each pixel's weighted luma (R·77 + G·150 + B·29) of one BGRA row to <paramref name="sums"/>.</summary>
    internal static void AccumulateLuma(ReadOnlySpan<byte> bgraRow, Span<uint> sums)
    {
        var pixels = MemoryMarshal.Cast<byte, uint>(bgraRow);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mask = new Vector<uint>(0xFF);
            var red = new Vector<uint>(RedWeight);
            var green = new Vector<uint>(GreenWeight);
            var blue = new Vector<uint>(BlueWeight);
            var pixelVectors = MemoryMarshal.Cast<uint, Vector<uint>>(pixels);
            var sumVectors = MemoryMarshal.Cast<uint, Vector<uint>>(sums);
            for (var v = 0; v < pixelVectors.Length; v++)
            {
                var p = pixelVectors[v];
                var luma = ((p & mask) * blue) + (((p >> 8) & mask) * green) + (((p >> 16) & mask) * red);
                sumVectors[v] += luma;
            }

            i = pixelVectors.Length * Vector<uint>.Count;
        }

        for (; i < pixels.Length; i++)
        {
            var p = pixels[i];
            sums[i] += ((p & 0xFF) * BlueWeight) + (((p >> 8) & 0xFF) * GreenWeight) + (((p >> 16) & 0xFF) * RedWeight);
        }
    }

    private static (int[] Start, int[] End) Boxes(int source, int target)
    {
        var start = new int[target];
        var end = new int[target];
        for (var i = 0; i < target; i++)
        {
            // Enlarging gives every output pixel at least one source pixel (the nearest one).
            start[i] = (int)Math.Min((long)i * source / target, source - 1);
            end[i] = (int)Math.Max((long)(i + 1) * source / target, start[i] + 1);
        }

        return (start, end);
    }
}
