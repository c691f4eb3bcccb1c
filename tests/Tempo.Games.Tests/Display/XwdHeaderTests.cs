using System.Buffers.Binary;
using Tempo.Games.Display;

namespace Tempo.Games.Tests.Display;

public sealed class XwdHeaderTests
{
    // What Xvfb 21.1.7 -shmem -screen 0 640x480x24 wrote on this machine (read with ipcs and shmat, 2026-12-07): the 25
    // big-endian fields, header_size = 100 + the 60-byte name, 256 colormap entries, a 1,232,032-byte segment.
    private static readonly uint[] _xvfb640x480 =
        [160, 7, 2, 24, 640, 480, 0, 0, 32, 0, 32, 32, 2560, 4, 0xff0000, 0xff00, 0xff, 8, 256, 256, 640, 480, 0, 0, 0];

    private const long XvfbSegmentSize = 1_232_032;

    [Fact]
    public void Xvfbs_header_gives_the_screen_and_the_pixels_after_the_colormap()
    {
        var header = XwdHeader.Parse(Header(_xvfb640x480), XvfbSegmentSize);

        // 160 bytes of header and name, 256 entries of 12 bytes, then 480 lines of 2560 bytes fill the segment exactly.
        Assert.Equal(new XwdHeader(640, 480, 2560, 160 + (256 * 12)), header);
        Assert.Equal(XvfbSegmentSize, header.PixelsOffset + (480L * 2560));
    }

    [Theory]
    [InlineData(1, 6u, "file version 6")]
    [InlineData(0, 99u, "header size 99")]
    [InlineData(0, 2_000_000u, "header size 2000000")]
    [InlineData(2, 1u, "pixmap format 1")]
    [InlineData(11, 16u, "16 bits per pixel")]
    [InlineData(3, 16u, "at depth 16")]
    [InlineData(7, 1u, "byte order 1")]
    [InlineData(14, 0xffu, "colour masks 0xff/")]
    [InlineData(4, 0u, "screen 0x480")]
    [InlineData(12, 2559u, "2559 bytes per line for 640 pixels")]
    [InlineData(19, 100_000u, "100000 colormap entries")]
    [InlineData(5, 481u, "481 lines of 2560 bytes from offset 3232 end past its 1232032 bytes")]
    public void A_header_Tempo_cannot_copy_as_BGRX_is_refused_in_one_line_naming_the_field(int field, uint value, string expected)
    {
        var fields = (uint[])_xvfb640x480.Clone();
        fields[field] = value;
        var error = Assert.Throws<InvalidDataException>(() => XwdHeader.Parse(Header(fields), XvfbSegmentSize));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Xvfb framebuffer header (XWD): ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_segment_shorter_than_the_header_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => XwdHeader.Parse(Header(_xvfb640x480).AsSpan(0, 60), 60));
        Assert.Contains("60 bytes, shorter than the 100-byte header", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<InvalidDataException>(() => XwdHeader.Parse(Header(_xvfb640x480), 99));
        Assert.Contains("99 bytes", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Header(uint[] fields)
    {
        var bytes = new byte[XwdHeader.FixedSize];
        for (var i = 0; i < fields.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), fields[i]);
        }

        return bytes;
    }
}
