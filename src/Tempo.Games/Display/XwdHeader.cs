using System.Buffers.Binary;

namespace Tempo.Games.Display;

/// <summary>
/// The XWD file header Xvfb writes at the start of a framebuffer it keeps in shared memory (<c>-shmem</c>) or in a file
/// (<c>-fbdir</c>): 25 big-endian 32-bit fields, the window name, a colormap, then the screen's pixels.
/// </summary>
/// <remarks>
/// Xvfb (hw/vfb/InitOutput.c) sets <c>header_size</c> to the offset of the colormap (the 100-byte header plus a 60-byte
/// name) and puts the pixels right after <c>ncolors</c> 12-byte colormap entries. Only what Tempo can copy as B, G, R, X
/// bytes is accepted: a 32-bit ZPixmap, least significant byte first, red in 0xff0000.
/// </remarks>
internal readonly record struct XwdHeader(int Width, int Height, int BytesPerLine, long PixelsOffset)
{
    /// <summary>The fixed part: 25 fields of 4 bytes.</summary>
    public const int FixedSize = 100;

    /// <summary>What the X11 XWD format calls <c>XWD_FILE_VERSION</c>.</summary>
    public const int FileVersion = 7;

    /// <summary>sizeof(XWDColor): a 32-bit pixel, three 16-bit channels, flags and a pad byte.</summary>
    public const int ColormapEntrySize = 12;

    private const int ZPixmap = 2;
    private const int LsbFirst = 0;

    /// <summary>Reads and checks the header at the start of <paramref name="data"/>, a framebuffer of <paramref name="size"/> bytes in all.</summary>
    /// <param name="data">At least the first <see cref="FixedSize"/> bytes (fewer is reported as a short framebuffer).</param>
    /// <param name="size">The whole framebuffer's size: the pixels must lie inside it.</param>
    /// <exception cref="InvalidDataException">Anything Tempo cannot copy as 32-bit BGRX pixels, in one line naming the field and its value.</exception>
    public static XwdHeader Parse(ReadOnlySpan<byte> data, long size)
    {
        if (data.Length < FixedSize || size < FixedSize)
        {
            throw Bad($"{Math.Min(data.Length, size)} bytes, shorter than the {FixedSize}-byte header");
        }

        var headerSize = Field(data, 0);
        var version = Field(data, 1);
        var format = Field(data, 2);
        var depth = Field(data, 3);
        var width = Field(data, 4);
        var height = Field(data, 5);
        var byteOrder = Field(data, 7);
        var bitsPerPixel = Field(data, 11);
        var bytesPerLine = Field(data, 12);
        var redMask = Field(data, 14);
        var greenMask = Field(data, 15);
        var blueMask = Field(data, 16);
        var colors = Field(data, 19);

        Require(version == FileVersion, $"file version {version}, expected {FileVersion}");
        Require(headerSize >= FixedSize && headerSize <= size, $"header size {headerSize} outside {FixedSize}..{size}");
        Require(format == ZPixmap, $"pixmap format {format}, expected ZPixmap ({ZPixmap})");
        Require(bitsPerPixel == 32 && depth is 24 or 32, $"{bitsPerPixel} bits per pixel at depth {depth}, expected 32 at depth 24 (Xvfb -screen 0 WxHx24)");
        Require(byteOrder == LsbFirst, $"byte order {byteOrder}, expected LSBFirst ({LsbFirst})");
        Require(redMask == 0xff0000 && greenMask == 0xff00 && blueMask == 0xff, $"colour masks 0x{redMask:x}/0x{greenMask:x}/0x{blueMask:x}, expected 0xff0000/0xff00/0xff");
        Require(width is > 0 and <= 1 << 15 && height is > 0 and <= 1 << 15, $"screen {width}x{height}");
        Require(bytesPerLine >= width * 4L, $"{bytesPerLine} bytes per line for {width} pixels of 4 bytes");
        Require(colors <= 1 << 16, $"{colors} colormap entries");
        var pixels = headerSize + (colors * (long)ColormapEntrySize);
        Require(pixels + (bytesPerLine * (long)height) <= size, $"{height} lines of {bytesPerLine} bytes from offset {pixels} end past its {size} bytes");
        return new XwdHeader((int)width, (int)height, (int)bytesPerLine, pixels);
    }

    private static uint Field(ReadOnlySpan<byte> header, int index) => BinaryPrimitives.ReadUInt32BigEndian(header[(index * 4)..]);

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw Bad(what);
        }
    }

    private static InvalidDataException Bad(string what) => new($"Xvfb framebuffer header (XWD): {what}");
}
