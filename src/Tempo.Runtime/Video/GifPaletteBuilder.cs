using System.Diagnostics;

namespace Tempo.Runtime.Video;

/// <summary>Maps one region of an RGB24 frame to at most 256 colours: a colour table plus one index per pixel.</summary>
/// <remarks>
/// When the region has at most 256 distinct colours — the usual case for rendered environments, which draw a
/// handful of flat colours — the table is exactly those colours in order of first appearance, so every pixel
/// round-trips exactly. Otherwise the table is the 40 most frequent colours (kept exact, so backgrounds and large
/// shapes stay true) followed by the 216 colours of a uniform 6×6×6 cube, and each colour maps to its nearest
/// entry in squared RGB distance, without dithering: never farther than the nearest cube colour, which is within
/// 25 of every channel.
/// Buffers grow to the largest region seen and are reused, so steady-state frames allocate nothing.
/// </remarks>
internal sealed class GifPaletteBuilder
{
    /// <summary>The most colours a GIF colour table holds.</summary>
    public const int MaxColours = 256;

    private const int CubeLevels = 6;
    private const int CubeStep = 255 / (CubeLevels - 1);
    private const int CubeColours = CubeLevels * CubeLevels * CubeLevels;
    private const int PopularColours = MaxColours - CubeColours;

    private readonly Dictionary<int, int> _distinctIdByColour = [];
    private readonly int[] _popularIds = new int[PopularColours];
    private int[] _distinctColours = new int[MaxColours];
    private int[] _distinctCounts = new int[MaxColours];
    private byte[] _paletteIndexByDistinctId = new byte[MaxColours];
    private int[] _pixelDistinctIds = [];

    /// <summary>Quantizes a rectangle of a frame.</summary>
    /// <param name="frame">The whole frame, packed RGB24 rows of <paramref name="frameWidth"/> pixels.</param>
    /// <param name="frameWidth">Width of the whole frame in pixels.</param>
    /// <param name="region">The rectangle to quantize, inside the frame.</param>
    /// <param name="indices">Receives one colour-table index per pixel of the region, row-major.</param>
    /// <param name="palette">Receives the colour table as packed <c>0xRRGGBB</c>; at least 256 entries.</param>
    /// <returns>The number of colour-table entries used (1 to 256).</returns>
    public int Quantize(ReadOnlySpan<byte> frame, int frameWidth, GifRegion region, Span<byte> indices, Span<int> palette)
    {
        Debug.Assert(indices.Length >= region.Area && palette.Length >= MaxColours, "Caller-owned buffers are too small.");

        var distinctCount = CountDistinctColours(frame, frameWidth, region);
        if (distinctCount <= MaxColours)
        {
            _distinctColours.AsSpan(0, distinctCount).CopyTo(palette);
            for (var i = 0; i < region.Area; i++)
            {
                indices[i] = (byte)_pixelDistinctIds[i];
            }

            return distinctCount;
        }

        var paletteCount = BuildReducedPalette(distinctCount, palette);
        for (var i = 0; i < region.Area; i++)
        {
            indices[i] = _paletteIndexByDistinctId[_pixelDistinctIds[i]];
        }

        return paletteCount;
    }

    /// <summary>Numbers the distinct colours of the region in order of first appearance and counts their pixels.</summary>
    private int CountDistinctColours(ReadOnlySpan<byte> frame, int frameWidth, GifRegion region)
    {
        if (_pixelDistinctIds.Length < region.Area)
        {
            _pixelDistinctIds = new int[region.Area];
        }

        _distinctIdByColour.Clear();
        var distinctCount = 0;

        // Rendered frames are mostly runs of one colour, so the previous pixel's colour is checked before the dictionary.
        var lastColour = -1;
        var lastId = -1;
        var pixel = 0;
        for (var y = region.Top; y < region.Top + region.Height; y++)
        {
            var row = frame.Slice(((y * frameWidth) + region.Left) * 3, region.Width * 3);
            for (var x = 0; x < row.Length; x += 3)
            {
                var colour = (row[x] << 16) | (row[x + 1] << 8) | row[x + 2];
                if (colour != lastColour)
                {
                    if (!_distinctIdByColour.TryGetValue(colour, out lastId))
                    {
                        lastId = distinctCount++;
                        _distinctIdByColour.Add(colour, lastId);
                        EnsureDistinctCapacity(distinctCount);
                        _distinctColours[lastId] = colour;
                        _distinctCounts[lastId] = 0;
                    }

                    lastColour = colour;
                }

                _distinctCounts[lastId]++;
                _pixelDistinctIds[pixel++] = lastId;
            }
        }

        return distinctCount;
    }

    private void EnsureDistinctCapacity(int count)
    {
        if (count <= _distinctColours.Length)
        {
            return;
        }

        var capacity = Math.Max(count, _distinctColours.Length * 2);
        Array.Resize(ref _distinctColours, capacity);
        Array.Resize(ref _distinctCounts, capacity);
        _paletteIndexByDistinctId = new byte[capacity];
    }

    /// <summary>Builds the popular-colours-plus-cube table and maps every distinct colour to its nearest entry.</summary>
    private int BuildReducedPalette(int distinctCount, Span<int> palette)
    {
        var popularCount = SelectMostFrequent(distinctCount);
        for (var i = 0; i < popularCount; i++)
        {
            palette[i] = _distinctColours[_popularIds[i]];
        }

        for (var r = 0; r < CubeLevels; r++)
        {
            for (var g = 0; g < CubeLevels; g++)
            {
                for (var b = 0; b < CubeLevels; b++)
                {
                    palette[popularCount + CubeIndex(r, g, b)] = (r * CubeStep << 16) | (g * CubeStep << 8) | (b * CubeStep);
                }
            }
        }

        for (var id = 0; id < distinctCount; id++)
        {
            var colour = _distinctColours[id];
            int red = (colour >> 16) & 0xFF, green = (colour >> 8) & 0xFF, blue = colour & 0xFF;

            // The nearest cube colour is found per channel; then the popular colours may beat it.
            int cubeRed = NearestLevel(red), cubeGreen = NearestLevel(green), cubeBlue = NearestLevel(blue);
            var best = popularCount + CubeIndex(cubeRed, cubeGreen, cubeBlue);
            var bestDistance = SquaredDistance(colour, palette[best]);
            for (var i = 0; i < popularCount && bestDistance > 0; i++)
            {
                var distance = SquaredDistance(colour, palette[i]);
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (i, distance);
                }
            }

            _paletteIndexByDistinctId[id] = (byte)best;
        }

        return popularCount + CubeColours;
    }

    /// <summary>Fills <see cref="_popularIds"/> with the ids of the most frequent colours, most frequent first, earlier ids first on ties.</summary>
    private int SelectMostFrequent(int distinctCount)
    {
        var selected = 0;
        for (var id = 0; id < distinctCount; id++)
        {
            var count = _distinctCounts[id];
            if (selected == PopularColours && count <= _distinctCounts[_popularIds[selected - 1]])
            {
                continue;
            }

            // Insertion into the short sorted list.
            var position = Math.Min(selected, PopularColours - 1);
            while (position > 0 && _distinctCounts[_popularIds[position - 1]] < count)
            {
                _popularIds[position] = _popularIds[position - 1];
                position--;
            }

            _popularIds[position] = id;
            selected = Math.Min(selected + 1, PopularColours);
        }

        return selected;
    }

    private static int CubeIndex(int red, int green, int blue) => (((red * CubeLevels) + green) * CubeLevels) + blue;

    private static int NearestLevel(int value) => (value + (CubeStep / 2)) / CubeStep;

    private static int SquaredDistance(int first, int second)
    {
        var red = ((first >> 16) & 0xFF) - ((second >> 16) & 0xFF);
        var green = ((first >> 8) & 0xFF) - ((second >> 8) & 0xFF);
        var blue = (first & 0xFF) - (second & 0xFF);
        return (red * red) + (green * green) + (blue * blue);
    }
}
