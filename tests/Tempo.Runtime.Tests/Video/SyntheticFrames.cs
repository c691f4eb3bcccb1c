namespace Tempo.Runtime.Tests.Video;

/// <summary>RGB24 test frames: a CartPole-like scene of flat colours, random palettes and gradients.</summary>
internal static class SyntheticFrames
{
    /// <summary>A white scene with a grey track, a black cart moving right with the step and a swinging brown pole.</summary>
    public static byte[] Cart(int width, int height, int step)
    {
        var frame = new byte[width * height * 3];
        frame.AsSpan().Fill(255);
        var trackY = height * 2 / 3;
        FillRectangle(frame, width, 0, trackY, width, 1, (128, 128, 128));

        var cartWidth = Math.Max(1, width / 6);
        var cartHeight = Math.Max(1, height / 8);
        var cartLeft = (step * 2) % Math.Max(1, width - cartWidth);
        var cartTop = Math.Max(0, trackY - cartHeight);
        FillRectangle(frame, width, cartLeft, cartTop, cartWidth, cartHeight, (0, 0, 0));

        // The pole: points along a line from the cart's top centre at an angle that changes with the step.
        var angle = Math.Sin(step * 0.3) * 0.6;
        var baseX = cartLeft + (cartWidth / 2.0);
        var length = height / 2.0;
        for (var t = 0.0; t <= length; t += 0.5)
        {
            var x = (int)(baseX + (t * Math.Sin(angle)));
            var y = (int)(cartTop - (t * Math.Cos(angle)));
            if (x >= 0 && x < width && y >= 0 && y < height)
            {
                SetPixel(frame, width, x, y, (202, 152, 101));
            }
        }

        SetPixel(frame, width, Math.Min(width - 1, (int)baseX), cartTop, (129, 132, 203));
        return frame;
    }

    /// <summary>A frame whose pixels are drawn at random from a palette of random distinct colours.</summary>
    public static byte[] RandomFromPalette(int width, int height, int colourCount, Random random)
    {
        var palette = DistinctColours(colourCount, random);
        var frame = new byte[width * height * 3];
        for (var pixel = 0; pixel < width * height; pixel++)
        {
            // The first pixels take every colour once, so the frame uses exactly colourCount colours when it can.
            var colour = pixel < colourCount ? palette[pixel] : palette[random.Next(colourCount)];
            frame[pixel * 3] = colour.Red;
            frame[(pixel * 3) + 1] = colour.Green;
            frame[(pixel * 3) + 2] = colour.Blue;
        }

        return frame;
    }

    /// <summary>A frame of one colour.</summary>
    public static byte[] Solid(int width, int height, (byte Red, byte Green, byte Blue) colour)
    {
        var frame = new byte[width * height * 3];
        FillRectangle(frame, width, 0, 0, width, height, colour);
        return frame;
    }

    /// <summary>Counts the distinct colours of an RGB24 frame.</summary>
    public static int CountColours(byte[] frame)
    {
        var colours = new HashSet<int>();
        for (var i = 0; i < frame.Length; i += 3)
        {
            colours.Add((frame[i] << 16) | (frame[i + 1] << 8) | frame[i + 2]);
        }

        return colours.Count;
    }

    public static void FillRectangle(byte[] frame, int width, int left, int top, int rectangleWidth, int rectangleHeight, (byte Red, byte Green, byte Blue) colour)
    {
        for (var y = top; y < top + rectangleHeight; y++)
        {
            for (var x = left; x < left + rectangleWidth; x++)
            {
                SetPixel(frame, width, x, y, colour);
            }
        }
    }

    public static void SetPixel(byte[] frame, int width, int x, int y, (byte Red, byte Green, byte Blue) colour)
    {
        var at = ((y * width) + x) * 3;
        (frame[at], frame[at + 1], frame[at + 2]) = colour;
    }

    private static (byte Red, byte Green, byte Blue)[] DistinctColours(int count, Random random)
    {
        var seen = new HashSet<int>();
        var colours = new List<(byte, byte, byte)>();
        while (colours.Count < count)
        {
            var packed = random.Next(1 << 24);
            if (seen.Add(packed))
            {
                colours.Add(((byte)(packed >> 16), (byte)(packed >> 8), (byte)packed));
            }
        }

        return [.. colours];
    }
}
