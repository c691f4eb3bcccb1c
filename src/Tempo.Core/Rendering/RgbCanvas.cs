using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Tempo.Core.Rendering;

/// <summary>A small software rasterizer that draws solid shapes into a caller-owned packed RGB24 buffer.</summary>
/// <remarks>
/// Pixel (x, y) is the unit square centred on the integer point (x, y); a filled shape paints every pixel whose
/// centre lies inside it (edges are included where the scanline rule allows). With <c>yAxisUp</c> the y axis
/// points up from the bottom row, which is how Gymnasium's classic-control drawings are made (drawn with y up,
/// then flipped), so callers keep Gymnasium's coordinates. Shapes are clipped to the canvas; there is no
/// anti-aliasing, and nothing allocates.
/// </remarks>
public readonly ref struct RgbCanvas
{
    private const int StackVertexLimit = 64;
    private readonly Span<byte> _pixels;

    /// <summary>Wraps <paramref name="pixels"/> (row-major, top row first, <c>height × width × 3</c> bytes) as a canvas.</summary>
    /// <param name="pixels">The frame buffer; it is drawn into, never copied.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="yAxisUp">Whether y = 0 is the bottom row (true) or the top row (false).</param>
    public RgbCanvas(Span<byte> pixels, int width, int height, bool yAxisUp = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var needed = (long)width * height * 3;
        if (pixels.Length != needed)
        {
            throw new ArgumentException($"The pixel buffer has {pixels.Length} bytes; a {width}x{height} RGB24 frame needs {needed}.", nameof(pixels));
        }

        _pixels = pixels;
        Width = width;
        Height = height;
        YAxisUp = yAxisUp;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Whether y = 0 is the bottom row rather than the top row.</summary>
    public bool YAxisUp { get; }

    /// <summary>Paints every pixel with <paramref name="color"/>.</summary>
    public void Clear(Rgb color)
    {
        _pixels[0] = color.R;
        _pixels[1] = color.G;
        _pixels[2] = color.B;

        // Double the painted prefix each round: a handful of block copies instead of a per-pixel loop.
        var filled = 3;
        while (filled < _pixels.Length)
        {
            var count = Math.Min(filled, _pixels.Length - filled);
            _pixels[..count].CopyTo(_pixels[filled..]);
            filled += count;
        }
    }

    /// <summary>Returns the colour of pixel (<paramref name="x"/>, <paramref name="y"/>) in canvas coordinates.</summary>
    public Rgb GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            ThrowPixelOutside(x, y, Width, Height);
        }

        var offset = PixelOffset(x, ToRow(y));
        return new Rgb(_pixels[offset], _pixels[offset + 1], _pixels[offset + 2]);
    }

    /// <summary>Paints pixel (<paramref name="x"/>, <paramref name="y"/>); pixels outside the canvas are ignored.</summary>
    public void SetPixel(int x, int y, Rgb color)
    {
        if ((uint)x < (uint)Width && (uint)y < (uint)Height)
        {
            Paint(x, ToRow(y), color);
        }
    }

    /// <summary>Fills the axis-aligned rectangle spanned by two opposite corners.</summary>
    public void FillRectangle(Vector2 corner, Vector2 oppositeCorner, Rgb color)
    {
        RequireFinite(corner, nameof(corner));
        RequireFinite(oppositeCorner, nameof(oppositeCorner));
        var rowA = ToRow(corner.Y);
        var rowB = ToRow(oppositeCorner.Y);
        var firstRow = FirstIndex(Math.Min(rowA, rowB), Height);
        var lastRow = LastIndex(Math.Max(rowA, rowB), Height);
        var left = Math.Min(corner.X, oppositeCorner.X);
        var right = Math.Max(corner.X, oppositeCorner.X);
        for (var row = firstRow; row <= lastRow; row++)
        {
            FillSpan(row, left, right, color);
        }
    }

    /// <summary>Fills the circle of <paramref name="radius"/> pixels around <paramref name="center"/>.</summary>
    public void FillCircle(Vector2 center, float radius, Rgb color)
    {
        RequireFinite(center, nameof(center));
        if (!(radius >= 0) || !float.IsFinite(radius))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "The radius must be finite and non-negative.");
        }

        var centerRow = ToRow(center.Y);
        var firstRow = FirstIndex(centerRow - radius, Height);
        var lastRow = LastIndex(centerRow + radius, Height);
        var radiusSquared = (double)radius * radius;
        for (var row = firstRow; row <= lastRow; row++)
        {
            var dy = row - centerRow;
            var halfWidth = Math.Sqrt(Math.Max(0.0, radiusSquared - (dy * dy)));
            FillSpan(row, center.X - halfWidth, center.X + halfWidth, color);
        }
    }

    /// <summary>Fills a simple or self-intersecting polygon (even-odd rule) given by its vertices in order.</summary>
    public void FillPolygon(ReadOnlySpan<Vector2> vertices, Rgb color)
    {
        if (vertices.Length < 3)
        {
            throw new ArgumentException($"A polygon needs at least 3 vertices; got {vertices.Length}.", nameof(vertices));
        }

        var minRow = double.PositiveInfinity;
        var maxRow = double.NegativeInfinity;
        foreach (var vertex in vertices)
        {
            RequireFinite(vertex, nameof(vertices));
            var row = ToRow(vertex.Y);
            minRow = Math.Min(minRow, row);
            maxRow = Math.Max(maxRow, row);
        }

        var firstRow = FirstIndex(minRow, Height);
        var lastRow = LastIndex(maxRow, Height);
        if (firstRow > lastRow)
        {
            return;
        }

        // Each scanline crosses at most one edge per vertex. Large polygons borrow pooled scratch, owned here.
        double[]? rented = null;
        var crossings = vertices.Length <= StackVertexLimit
            ? stackalloc double[StackVertexLimit]
            : (rented = ArrayPool<double>.Shared.Rent(vertices.Length));
        try
        {
            for (var row = firstRow; row <= lastRow; row++)
            {
                var count = CollectCrossings(vertices, row, crossings);
                SortAscending(crossings[..count]);
                for (var i = 0; i + 1 < count; i += 2)
                {
                    FillSpan(row, crossings[i], crossings[i + 1], color);
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Draws a straight line <paramref name="width"/> pixels thick (1 gives a one-pixel line without gaps).</summary>
    public void DrawLine(Vector2 from, Vector2 to, Rgb color, float width = 1)
    {
        RequireFinite(from, nameof(from));
        RequireFinite(to, nameof(to));
        if (!(width > 0) || !float.IsFinite(width))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The line width must be finite and positive.");
        }

        if (width <= 1)
        {
            DrawThinLine(from, to, color);
            return;
        }

        var direction = to - from;
        var length = direction.Length();
        if (length == 0)
        {
            FillCircle(from, width / 2, color);
            return;
        }

        var normal = new Vector2(-direction.Y, direction.X) * (width / 2 / length);
        Span<Vector2> quad = [from + normal, to + normal, to - normal, from - normal];
        FillPolygon(quad, color);
    }

    /// <summary>Draws the open chain of line segments through <paramref name="points"/>.</summary>
    public void DrawPolyline(ReadOnlySpan<Vector2> points, Rgb color, float width = 1)
    {
        for (var i = 0; i + 1 < points.Length; i++)
        {
            DrawLine(points[i], points[i + 1], color, width);
        }
    }

    private void DrawThinLine(Vector2 from, Vector2 to, Rgb color)
    {
        double x0 = from.X, y0 = ToRow(from.Y), x1 = to.X, y1 = ToRow(to.Y);
        if (!ClipToFrame(ref x0, ref y0, ref x1, ref y1))
        {
            return;
        }

        // A DDA walk with one pixel per step along the major axis, so the line has no gaps.
        var steps = (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)));
        if (steps == 0)
        {
            PaintClipped(Nearest(x0), Nearest(y0), color);
            return;
        }

        var dx = (x1 - x0) / steps;
        var dy = (y1 - y0) / steps;
        for (var i = 0; i <= steps; i++)
        {
            PaintClipped(Nearest(x0 + (i * dx)), Nearest(y0 + (i * dy)), color);
        }
    }

    /// <summary>Liang–Barsky clipping of a segment (in row space) to the frame's pixel centres, widened by half a pixel.</summary>
    private bool ClipToFrame(ref double x0, ref double y0, ref double x1, ref double y1)
    {
        double t0 = 0, t1 = 1;
        var dx = x1 - x0;
        var dy = y1 - y0;
        if (!Clip(-dx, x0 + 0.5, ref t0, ref t1) || !Clip(dx, Width - 0.5 - x0, ref t0, ref t1)
            || !Clip(-dy, y0 + 0.5, ref t0, ref t1) || !Clip(dy, Height - 0.5 - y0, ref t0, ref t1))
        {
            return false;
        }

        (x0, y0, x1, y1) = (x0 + (t0 * dx), y0 + (t0 * dy), x0 + (t1 * dx), y0 + (t1 * dy));
        return true;

        static bool Clip(double p, double q, ref double t0, ref double t1)
        {
            if (p == 0)
            {
                return q >= 0;
            }

            var t = q / p;
            if (p < 0)
            {
                if (t > t1)
                {
                    return false;
                }

                t0 = Math.Max(t0, t);
            }
            else
            {
                if (t < t0)
                {
                    return false;
                }

                t1 = Math.Min(t1, t);
            }

            return true;
        }
    }

    private int CollectCrossings(ReadOnlySpan<Vector2> vertices, int row, Span<double> crossings)
    {
        var count = 0;
        var previous = vertices[^1];
        var previousRow = ToRow(previous.Y);
        foreach (var vertex in vertices)
        {
            var vertexRow = ToRow(vertex.Y);

            // Half-open in y, so a vertex shared by two edges is counted once.
            if ((previousRow <= row && vertexRow > row) || (vertexRow <= row && previousRow > row))
            {
                var t = (row - previousRow) / (vertexRow - previousRow);
                crossings[count++] = previous.X + (t * (vertex.X - previous.X));
            }

            previous = vertex;
            previousRow = vertexRow;
        }

        return count;
    }

    private static void SortAscending(Span<double> values)
    {
        // Insertion sort: a scanline of a classic-control shape has two to four crossings.
        for (var i = 1; i < values.Length; i++)
        {
            var value = values[i];
            var j = i - 1;
            while (j >= 0 && values[j] > value)
            {
                values[j + 1] = values[j];
                j--;
            }

            values[j + 1] = value;
        }
    }

    private void FillSpan(int row, double left, double right, Rgb color)
    {
        var first = FirstIndex(left, Width);
        var last = LastIndex(right, Width);
        if (first > last)
        {
            return;
        }

        var span = _pixels.Slice(PixelOffset(first, row), (last - first + 1) * 3);
        for (var i = 0; i < span.Length; i += 3)
        {
            span[i] = color.R;
            span[i + 1] = color.G;
            span[i + 2] = color.B;
        }
    }

    /// <summary>The first pixel index whose centre is at or after <paramref name="coordinate"/>, clamped to the canvas.</summary>
    private static int FirstIndex(double coordinate, int size) => (int)Math.Ceiling(Math.Clamp(coordinate, 0.0, size));

    /// <summary>The last pixel index whose centre is at or before <paramref name="coordinate"/>, clamped to the canvas.</summary>
    private static int LastIndex(double coordinate, int size) => (int)Math.Floor(Math.Clamp(coordinate, -1.0, size - 1.0));

    /// <summary>The pixel whose centre is nearest; halves round up, so a walk in unit steps never skips a pixel.</summary>
    private static int Nearest(double coordinate) => (int)Math.Floor(coordinate + 0.5);

    private double ToRow(double y) => YAxisUp ? Height - 1 - y : y;

    private int ToRow(int y) => YAxisUp ? Height - 1 - y : y;

    private void PaintClipped(int x, int row, Rgb color)
    {
        if ((uint)x < (uint)Width && (uint)row < (uint)Height)
        {
            Paint(x, row, color);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Paint(int x, int row, Rgb color)
    {
        var offset = PixelOffset(x, row);
        _pixels[offset] = color.R;
        _pixels[offset + 1] = color.G;
        _pixels[offset + 2] = color.B;
    }

    private int PixelOffset(int x, int row) => ((row * Width) + x) * 3;

    private static void RequireFinite(Vector2 point, string parameterName)
    {
        if (!float.IsFinite(point.X) || !float.IsFinite(point.Y))
        {
            ThrowNotFinite(point, parameterName);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotFinite(Vector2 point, string parameterName) =>
        throw new ArgumentException($"Drawing coordinates must be finite; got {point}.", parameterName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowPixelOutside(int x, int y, int width, int height) =>
        throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) lies outside the {width}x{height} canvas.");
}
