using System.Text;

namespace Tempo.Runtime.Tests.Video;

/// <summary>One image of a decoded GIF, with the whole canvas as it looks after the image is drawn.</summary>
internal sealed record DecodedGifFrame(
    int Left,
    int Top,
    int Width,
    int Height,
    int DelayCentiseconds,
    int Disposal,
    int MinCodeSize,
    int ColourTableSize,
    int ClearCodes,
    byte[] Canvas);

/// <summary>A decoded GIF: screen size, NETSCAPE loop count (null when absent) and frames.</summary>
internal sealed record DecodedGif(int Width, int Height, int? LoopCount, IReadOnlyList<DecodedGifFrame> Frames);

/// <summary>
/// A strict, deliberately plain GIF89a decoder written from the specification for the tests: it keeps the LZW
/// table as byte strings, composites frames onto an RGB canvas and rejects anything malformed rather than guessing.
/// </summary>
internal static class GifDecoder
{
    public static DecodedGif Decode(byte[] data)
    {
        var reader = new ByteReader(data);
        var signature = Encoding.ASCII.GetString(reader.Bytes(6));
        if (signature != "GIF89a")
        {
            throw new InvalidDataException($"Bad signature '{signature}'.");
        }

        var width = reader.UInt16();
        var height = reader.UInt16();
        var screenFlags = reader.Byte();
        var background = reader.Byte();
        reader.Byte(); // pixel aspect ratio
        byte[]? globalTable = null;
        if ((screenFlags & 0x80) != 0)
        {
            globalTable = reader.Bytes(3 << ((screenFlags & 7) + 1));
        }

        var backgroundColour = globalTable is null ? new byte[3] : globalTable.AsSpan(background * 3, 3).ToArray();
        var canvas = new byte[width * height * 3];
        Fill(canvas, width, 0, 0, width, height, backgroundColour);

        int? loopCount = null;
        var frames = new List<DecodedGifFrame>();
        (int Delay, int Disposal, int? Transparent)? control = null;
        while (true)
        {
            var introducer = reader.Byte();
            if (introducer == 0x3B)
            {
                if (!reader.AtEnd)
                {
                    throw new InvalidDataException("Data after the trailer.");
                }

                return new DecodedGif(width, height, loopCount, frames);
            }

            if (introducer == 0x21)
            {
                var label = reader.Byte();
                if (label == 0xF9)
                {
                    if (control is not null)
                    {
                        throw new InvalidDataException("Two graphic control extensions for one image.");
                    }

                    Expect(reader.Byte(), 4, "graphic control block size");
                    var flags = reader.Byte();
                    var delay = reader.UInt16();
                    var transparentIndex = reader.Byte();
                    Expect(reader.Byte(), 0, "graphic control terminator");
                    control = (delay, (flags >> 2) & 7, (flags & 1) != 0 ? transparentIndex : null);
                }
                else if (label == 0xFF)
                {
                    var blocks = ReadSubBlocks(reader);
                    if (blocks.Count == 2 && Encoding.ASCII.GetString(blocks[0]) == "NETSCAPE2.0" && blocks[1].Length == 3 && blocks[1][0] == 1)
                    {
                        loopCount = blocks[1][1] | (blocks[1][2] << 8);
                    }
                }
                else
                {
                    ReadSubBlocks(reader);
                }

                continue;
            }

            if (introducer != 0x2C)
            {
                throw new InvalidDataException($"Unexpected block introducer 0x{introducer:X2} at offset {reader.Position - 1}.");
            }

            var left = reader.UInt16();
            var top = reader.UInt16();
            var imageWidth = reader.UInt16();
            var imageHeight = reader.UInt16();
            var imageFlags = reader.Byte();
            if (imageWidth == 0 || imageHeight == 0 || left + imageWidth > width || top + imageHeight > height)
            {
                throw new InvalidDataException($"Image {imageWidth}×{imageHeight} at ({left}, {top}) is outside the {width}×{height} screen.");
            }

            if ((imageFlags & 0x40) != 0)
            {
                throw new InvalidDataException("Interlaced images are not expected.");
            }

            var table = (imageFlags & 0x80) != 0 ? reader.Bytes(3 << ((imageFlags & 7) + 1)) : globalTable
                ?? throw new InvalidDataException("Image without any colour table.");

            var minCodeSize = reader.Byte();
            var compressed = ReadSubBlocks(reader).SelectMany(block => block).ToArray();
            var (indices, clearCodes, _) = LzwDecode(compressed, minCodeSize, imageWidth * imageHeight);

            var (delayCentiseconds, disposal, transparent) = control ?? (0, 0, null);
            control = null;
            var saved = disposal == 3 ? (byte[])canvas.Clone() : null;
            for (var y = 0; y < imageHeight; y++)
            {
                for (var x = 0; x < imageWidth; x++)
                {
                    var index = indices[(y * imageWidth) + x];
                    if (index * 3 >= table.Length)
                    {
                        throw new InvalidDataException($"Index {index} outside a {table.Length / 3}-colour table.");
                    }

                    if (index == transparent)
                    {
                        continue;
                    }

                    var at = (((top + y) * width) + left + x) * 3;
                    canvas[at] = table[index * 3];
                    canvas[at + 1] = table[(index * 3) + 1];
                    canvas[at + 2] = table[(index * 3) + 2];
                }
            }

            frames.Add(new DecodedGifFrame(left, top, imageWidth, imageHeight, delayCentiseconds, disposal, minCodeSize, table.Length / 3, clearCodes, (byte[])canvas.Clone()));
            if (disposal == 2)
            {
                Fill(canvas, width, left, top, imageWidth, imageHeight, backgroundColour);
            }
            else if (saved is not null)
            {
                canvas = saved;
            }
        }
    }

    /// <summary>
    /// Decodes GIF LZW data into exactly <paramref name="pixelCount"/> indices; also counts clear codes and tells
    /// whether the end code was one bit wider than the last data code (the table grew on reading that code).
    /// </summary>
    public static (byte[] Indices, int ClearCodes, bool EndCodeWidened) LzwDecode(byte[] data, int minCodeSize, int pixelCount)
    {
        if (minCodeSize is < 2 or > 8)
        {
            throw new InvalidDataException($"LZW minimum code size {minCodeSize} is outside 2..8.");
        }

        var clearCode = 1 << minCodeSize;
        var endCode = clearCode + 1;
        var table = new List<byte[]>();
        var codeSize = 0;
        byte[]? previous = null;
        var output = new List<byte>(pixelCount);
        var clearCodes = 0;
        var bitPosition = 0L;
        var totalBits = data.Length * 8L;
        var first = true;
        var lastDataCodeSize = 0;

        void Reset()
        {
            table.Clear();
            for (var i = 0; i < clearCode; i++)
            {
                table.Add([(byte)i]);
            }

            table.Add([]); // clear
            table.Add([]); // end
            codeSize = minCodeSize + 1;
            previous = null;
        }

        Reset();
        while (true)
        {
            if (bitPosition + codeSize > totalBits)
            {
                throw new InvalidDataException("LZW data ended without an end-of-information code.");
            }

            var code = 0;
            for (var bit = 0; bit < codeSize; bit++, bitPosition++)
            {
                code |= ((data[bitPosition / 8] >> (int)(bitPosition % 8)) & 1) << bit;
            }

            if (first && code != clearCode)
            {
                throw new InvalidDataException("LZW data does not start with a clear code.");
            }

            first = false;
            if (code == clearCode)
            {
                clearCodes++;
                Reset();
                continue;
            }

            if (code == endCode)
            {
                break;
            }

            lastDataCodeSize = codeSize;

            byte[] entry;
            if (code < table.Count)
            {
                entry = table[code];
            }
            else if (code == table.Count && previous is not null)
            {
                entry = [.. previous, previous[0]];
            }
            else
            {
                throw new InvalidDataException($"LZW code {code} is not in the table of {table.Count} entries.");
            }

            output.AddRange(entry);
            if (output.Count > pixelCount)
            {
                throw new InvalidDataException($"LZW data holds more than the image's {pixelCount} pixels.");
            }

            if (previous is not null && table.Count < 4096)
            {
                table.Add([.. previous, entry[0]]);
            }

            previous = entry;
            if (table.Count == 1 << codeSize && codeSize < 12)
            {
                codeSize++;
            }
        }

        if (output.Count != pixelCount)
        {
            throw new InvalidDataException($"LZW data holds {output.Count} pixels; the image has {pixelCount}.");
        }

        if (totalBits - bitPosition >= 8)
        {
            throw new InvalidDataException($"{(totalBits - bitPosition) / 8} whole bytes follow the end-of-information code.");
        }

        return ([.. output], clearCodes, codeSize > lastDataCodeSize && lastDataCodeSize > 0);
    }

    private static List<byte[]> ReadSubBlocks(ByteReader reader)
    {
        var blocks = new List<byte[]>();
        while (true)
        {
            var length = reader.Byte();
            if (length == 0)
            {
                return blocks;
            }

            blocks.Add(reader.Bytes(length));
        }
    }

    private static void Fill(byte[] canvas, int canvasWidth, int left, int top, int width, int height, byte[] colour)
    {
        for (var y = top; y < top + height; y++)
        {
            for (var x = left; x < left + width; x++)
            {
                colour.CopyTo(canvas, ((y * canvasWidth) + x) * 3);
            }
        }
    }

    private static void Expect(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidDataException($"Expected {what} {expected}, got {actual}.");
        }
    }

    private sealed class ByteReader(byte[] data)
    {
        public int Position { get; private set; }

        public bool AtEnd => Position == data.Length;

        public byte Byte()
        {
            if (Position >= data.Length)
            {
                throw new InvalidDataException("The GIF ends early.");
            }

            return data[Position++];
        }

        public int UInt16() => Byte() | (Byte() << 8);

        public byte[] Bytes(int count)
        {
            if (Position + count > data.Length)
            {
                throw new InvalidDataException("The GIF ends early.");
            }

            var bytes = data.AsSpan(Position, count).ToArray();
            Position += count;
            return bytes;
        }
    }
}
