using System.Numerics;
using Tempo.Core.Rendering;

namespace Tempo.Core.Tests.Rendering;

public sealed class RgbCanvasTests
{
    private static Rgb Red => new(255, 0, 0);

    [Fact]
    public void Constructor_WrongBufferLength_ThrowsNamingBothSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => new RgbCanvas(new byte[10], 2, 2));
        Assert.Contains("10", error.Message);
        Assert.Contains("12", error.Message);
    }

    [Fact]
    public void Clear_PaintsEveryPixel()
    {
        var pixels = new byte[7 * 5 * 3];
        new RgbCanvas(pixels, 7, 5).Clear(new Rgb(1, 2, 3));

        for (var i = 0; i < pixels.Length; i += 3)
        {
            Assert.Equal([1, 2, 3], pixels[i..(i + 3)]);
        }
    }

    [Fact]
    public void SetPixel_YAxisUp_CountsRowsFromTheBottom()
    {
        var pixels = new byte[4 * 3 * 3];
        var canvas = new RgbCanvas(pixels, 4, 3, yAxisUp: true);
        canvas.SetPixel(1, 0, Red);

        Assert.Equal(Red, canvas.GetPixel(1, 0));
        Assert.Equal(255, pixels[((2 * 4) + 1) * 3]); // stored in the last row of the buffer
    }

    [Fact]
    public void SetPixel_OutsideTheCanvas_IsIgnored_GetPixelOutside_Throws()
    {
        var pixels = new byte[4 * 3 * 3];
        var canvas = new RgbCanvas(pixels, 4, 3);
        canvas.SetPixel(-1, 0, Red);
        canvas.SetPixel(4, 2, Red);
        Assert.All(pixels, b => Assert.Equal(0, b));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbCanvas(pixels, 4, 3).GetPixel(4, 0));
    }

    [Fact]
    public void FillRectangle_CoversPixelCentresBetweenTheCorners()
    {
        var canvas = new RgbCanvas(new byte[10 * 10 * 3], 10, 10);
        canvas.FillRectangle(new Vector2(6.5f, 4f), new Vector2(2f, 2.2f), Red);

        Assert.Equal(new[] { "..........", "..........", "..........", "..#####...", "..#####...", "..........", }, Rows(canvas, 6));
    }

    [Fact]
    public void FillPolygon_Triangle_PaintsItsInteriorOnly()
    {
        var canvas = new RgbCanvas(new byte[9 * 6 * 3], 9, 6);
        canvas.FillPolygon([new(0, 0), new(8, 0), new(0, 5)], Red);

        Assert.Equal(Rgb.Black, canvas.GetPixel(8, 5));
        Assert.Equal(Red, canvas.GetPixel(1, 1));
        Assert.Equal(Red, canvas.GetPixel(4, 2));
        Assert.Equal(Rgb.Black, canvas.GetPixel(6, 3));
        Assert.Equal(Rgb.Black, canvas.GetPixel(7, 4));
    }

    [Fact]
    public void FillPolygon_RotatedSquare_MatchesAPointInPolygonReference()
    {
        const int size = 40;
        var canvas = new RgbCanvas(new byte[size * size * 3], size, size);
        Vector2[] square = [new(20, 3), new(37, 20), new(20, 37), new(3, 20)];
        canvas.FillPolygon(square, Red);

        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                // |x − 20| + |y − 20| < 17 is strictly inside; pixels exactly on an edge may go either way.
                var distance = Math.Abs(x - 20) + Math.Abs(y - 20);
                if (distance < 17)
                {
                    Assert.Equal(Red, canvas.GetPixel(x, y));
                }
                else if (distance > 17)
                {
                    Assert.Equal(Rgb.Black, canvas.GetPixel(x, y));
                }
            }
        }
    }

    [Fact]
    public void FillPolygon_FewerThanThreeVertices_Throws() =>
        Assert.Throws<ArgumentException>(() => new RgbCanvas(new byte[12], 2, 2).FillPolygon([new(0, 0), new(1, 1)], Red));

    [Fact]
    public void FillPolygon_NonFiniteVertex_Throws() =>
        Assert.Throws<ArgumentException>(() => new RgbCanvas(new byte[12], 2, 2).FillPolygon([new(0, 0), new(1, float.NaN), new(1, 0)], Red));

    [Fact]
    public void FillPolygon_ManyVertices_FillsACircleLikeShape()
    {
        var canvas = new RgbCanvas(new byte[50 * 50 * 3], 50, 50);
        var vertices = new Vector2[100];
        for (var i = 0; i < vertices.Length; i++)
        {
            var angle = 2 * Math.PI * i / vertices.Length;
            vertices[i] = new Vector2(25 + (float)(20 * Math.Cos(angle)), 25 + (float)(20 * Math.Sin(angle)));
        }

        canvas.FillPolygon(vertices, Red);

        Assert.Equal(Red, canvas.GetPixel(25, 25));
        Assert.Equal(Red, canvas.GetPixel(25, 6));
        Assert.Equal(Rgb.Black, canvas.GetPixel(2, 2));
    }

    [Fact]
    public void FillCircle_PaintsPixelsWithinTheRadius()
    {
        var canvas = new RgbCanvas(new byte[21 * 21 * 3], 21, 21);
        canvas.FillCircle(new Vector2(10, 10), 5, Red);

        for (var y = 0; y < 21; y++)
        {
            for (var x = 0; x < 21; x++)
            {
                var inside = ((x - 10) * (x - 10)) + ((y - 10) * (y - 10)) <= 25;
                Assert.Equal(inside ? Red : Rgb.Black, canvas.GetPixel(x, y));
            }
        }
    }

    [Fact]
    public void DrawLine_Thin_HasNoGapsAlongTheMajorAxis()
    {
        var canvas = new RgbCanvas(new byte[30 * 20 * 3], 30, 20);
        canvas.DrawLine(new Vector2(2, 3), new Vector2(27, 15), Red);

        for (var x = 2; x <= 27; x++)
        {
            var painted = 0;
            for (var y = 0; y < 20; y++)
            {
                painted += canvas.GetPixel(x, y) == Red ? 1 : 0;
            }

            Assert.Equal(1, painted);
        }

        Assert.Equal(Red, canvas.GetPixel(2, 3));
        Assert.Equal(Red, canvas.GetPixel(27, 15));
    }

    [Fact]
    public void DrawLine_PartlyOutside_IsClipped()
    {
        var canvas = new RgbCanvas(new byte[10 * 10 * 3], 10, 10, yAxisUp: true);
        canvas.DrawLine(new Vector2(-100, 4), new Vector2(100, 4), Red);

        for (var x = 0; x < 10; x++)
        {
            Assert.Equal(Red, canvas.GetPixel(x, 4));
        }

        Assert.Equal(Rgb.Black, canvas.GetPixel(5, 5));
    }

    [Fact]
    public void DrawLine_Thick_CoversItsWidth()
    {
        var canvas = new RgbCanvas(new byte[20 * 20 * 3], 20, 20);
        canvas.DrawLine(new Vector2(2, 10), new Vector2(17, 10), Red, width: 5);

        for (var y = 8; y <= 12; y++)
        {
            Assert.Equal(Red, canvas.GetPixel(10, y));
        }

        Assert.Equal(Rgb.Black, canvas.GetPixel(10, 6));
        Assert.Equal(Rgb.Black, canvas.GetPixel(10, 14));
    }

    [Fact]
    public void DrawLine_NonPositiveWidth_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbCanvas(new byte[12], 2, 2).DrawLine(new(0, 0), new(1, 1), Red, 0));

    [Fact]
    public void Shapes_FarOutsideTheCanvas_PaintNothing()
    {
        var pixels = new byte[10 * 10 * 3];
        var canvas = new RgbCanvas(pixels, 10, 10);
        canvas.FillCircle(new Vector2(1e6f, -1e6f), 50, Red);
        canvas.FillPolygon([new(-1e7f, 0), new(-1e7f, 5), new(-1e6f, 5)], Red);
        canvas.FillRectangle(new Vector2(20, 20), new Vector2(30, 30), Red);
        canvas.DrawLine(new Vector2(-5, -5), new Vector2(-1, 20), Red, 1);

        Assert.All(pixels, b => Assert.Equal(0, b));
    }

    private static string[] Rows(RgbCanvas canvas, int count)
    {
        var rows = new string[count];
        for (var y = 0; y < count; y++)
        {
            var row = new char[canvas.Width];
            for (var x = 0; x < canvas.Width; x++)
            {
                row[x] = canvas.GetPixel(x, y) == Red ? '#' : '.';
            }

            rows[y] = new string(row);
        }

        return rows;
    }
}
