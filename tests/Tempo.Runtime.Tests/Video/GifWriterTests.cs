using Tempo.Runtime.Video;

namespace Tempo.Runtime.Tests.Video;

public sealed class GifWriterTests
{
    private static DecodedGif EncodeAndDecode(int width, int height, double framesPerSecond, IEnumerable<byte[]> frames)
    {
        using var stream = new MemoryStream();
        using (var writer = new GifWriter(stream, width, height, framesPerSecond, leaveOpen: true))
        {
            foreach (var frame in frames)
            {
                writer.WriteFrame(frame);
            }

            writer.Complete();
        }

        return GifDecoder.Decode(stream.ToArray());
    }

    private static void AssertFramesExact(IReadOnlyList<byte[]> expected, DecodedGif gif)
    {
        Assert.Equal(expected.Count, gif.Frames.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var actual = gif.Frames[i].Canvas;
            if (!expected[i].AsSpan().SequenceEqual(actual))
            {
                var at = expected[i].AsSpan().CommonPrefixLength(actual) / 3;
                Assert.Fail($"Frame {i} differs first at pixel {at} (x={at % gif.Width}, y={at / gif.Width}).");
            }
        }
    }

    [Fact]
    public void WriteFrame_RenderedScene_DecodesToExactFramesWithHeaderAndLoop()
    {
        const int width = 61, height = 37;
        var frames = Enumerable.Range(0, 40).Select(step => SyntheticFrames.Cart(width, height, step)).ToList();

        var gif = EncodeAndDecode(width, height, 50, frames);

        Assert.Equal((width, height), (gif.Width, gif.Height));
        Assert.Equal(0, gif.LoopCount);
        AssertFramesExact(frames, gif);
        Assert.All(gif.Frames, frame => Assert.Equal(2, frame.DelayCentiseconds));
        Assert.All(gif.Frames, frame => Assert.Equal(1, frame.Disposal));
    }

    [Fact]
    public void WriteFrame_FirstFrame_CoversTheWholeScreen()
    {
        var gif = EncodeAndDecode(20, 10, 10, [SyntheticFrames.Solid(20, 10, (9, 8, 7))]);

        var frame = Assert.Single(gif.Frames);
        Assert.Equal((0, 0, 20, 10), (frame.Left, frame.Top, frame.Width, frame.Height));
    }

    [Fact]
    public void WriteFrame_ChangedRectangle_OnlyThatRectangleIsEncoded()
    {
        const int width = 30, height = 20;
        var first = SyntheticFrames.Solid(width, height, (10, 20, 30));
        var second = (byte[])first.Clone();
        SyntheticFrames.SetPixel(second, width, 10, 5, (200, 0, 0));
        SyntheticFrames.SetPixel(second, width, 14, 8, (0, 200, 0));
        SyntheticFrames.SetPixel(second, width, 12, 7, (0, 0, 200));

        var gif = EncodeAndDecode(width, height, 10, [first, second]);

        var changed = gif.Frames[1];
        Assert.Equal((10, 5, 5, 4), (changed.Left, changed.Top, changed.Width, changed.Height));
        AssertFramesExact([first, second], gif);
    }

    [Fact]
    public void WriteFrame_UnchangedFrame_IsKeptAsOnePixelImageWithItsDelay()
    {
        var frame = SyntheticFrames.Cart(16, 12, 3);

        var gif = EncodeAndDecode(16, 12, 25, [frame, frame, frame]);

        Assert.Equal(3, gif.Frames.Count);
        Assert.Equal((1, 1), (gif.Frames[1].Width, gif.Frames[1].Height));
        Assert.All(gif.Frames, decoded => Assert.Equal(4, decoded.DelayCentiseconds));
        AssertFramesExact([frame, frame, frame], gif);
    }

    [Fact]
    public void WriteFrame_Exactly256Colours_ExactWithFullTableAndCodeSize8()
    {
        var random = new Random(1);
        var frame = SyntheticFrames.RandomFromPalette(48, 48, 256, random);
        Assert.Equal(256, SyntheticFrames.CountColours(frame));

        var gif = EncodeAndDecode(48, 48, 10, [frame]);

        var decoded = Assert.Single(gif.Frames);
        Assert.Equal(256, decoded.ColourTableSize);
        Assert.Equal(8, decoded.MinCodeSize);
        AssertFramesExact([frame], gif);
    }

    [Fact]
    public void WriteFrame_NoisyFrameBeyond4096Codes_EmitsClearCodesAndStaysExact()
    {
        var random = new Random(2);
        var frames = new[]
        {
            SyntheticFrames.RandomFromPalette(128, 128, 256, random),
            SyntheticFrames.RandomFromPalette(128, 128, 200, random),
        };

        var gif = EncodeAndDecode(128, 128, 10, frames);

        // One clear code starts the data; every further one is a reset of a full table.
        Assert.All(gif.Frames, frame => Assert.True(frame.ClearCodes >= 3, $"Expected table resets, saw {frame.ClearCodes} clear codes."));
        AssertFramesExact(frames, gif);
    }

    [Fact]
    public void WriteFrame_SingleColourFrame_UsesTwoEntryTableAndMinimumCodeSize2()
    {
        var frame = SyntheticFrames.Solid(300, 200, (17, 99, 250));

        var gif = EncodeAndDecode(300, 200, 10, [frame]);

        var decoded = Assert.Single(gif.Frames);
        Assert.Equal(2, decoded.ColourTableSize);
        Assert.Equal(2, decoded.MinCodeSize);
        AssertFramesExact([frame], gif);
    }

    [Fact]
    public void WriteFrame_OnePixelFrames_RoundTrip()
    {
        byte[][] frames = [[1, 2, 3], [1, 2, 3], [255, 0, 128], [0, 0, 0]];

        var gif = EncodeAndDecode(1, 1, 20, frames);

        AssertFramesExact(frames, gif);
    }

    [Theory]
    [InlineData(1, 17)]
    [InlineData(17, 1)]
    [InlineData(7, 5)]
    [InlineData(3, 3)]
    [InlineData(255, 3)]
    public void WriteFrame_OddSizes_RoundTrip(int width, int height)
    {
        var random = new Random(width * 1000 + height);
        var frames = new List<byte[]>
        {
            SyntheticFrames.RandomFromPalette(width, height, 5, random),
            SyntheticFrames.Cart(width, height, 1),
            SyntheticFrames.Cart(width, height, 2),
            SyntheticFrames.RandomFromPalette(width, height, 3, random),
        };

        var gif = EncodeAndDecode(width, height, 30, frames);

        AssertFramesExact(frames, gif);
    }

    [Fact]
    public void WriteFrame_MoreThan256Colours_KeepsFrequentColoursExactAndOthersNear()
    {
        const int width = 64, height = 64;
        var background = ((byte)200, (byte)100, (byte)37);
        var frame = SyntheticFrames.Solid(width, height, background);

        // A 32×64 gradient of 2048 distinct colours beside the background.
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < 32; x++)
            {
                SyntheticFrames.SetPixel(frame, width, x, y, ((byte)(x * 8), (byte)(y * 4), (byte)((x + y) * 3)));
            }
        }

        Assert.True(SyntheticFrames.CountColours(frame) > 2000);

        var decoded = Assert.Single(EncodeAndDecode(width, height, 10, [frame]).Frames).Canvas;

        for (var pixel = 0; pixel < width * height; pixel++)
        {
            int red = frame[pixel * 3] - decoded[pixel * 3];
            int green = frame[(pixel * 3) + 1] - decoded[(pixel * 3) + 1];
            int blue = frame[(pixel * 3) + 2] - decoded[(pixel * 3) + 2];
            var x = pixel % width;
            if (x >= 32)
            {
                Assert.Equal((0, 0, 0), (red, green, blue));
            }
            else
            {
                // Never farther than the nearest 6×6×6 cube colour: within 25 on every channel.
                Assert.True((red * red) + (green * green) + (blue * blue) <= 3 * 25 * 25, $"Pixel {pixel} off by ({red}, {green}, {blue}).");
            }
        }
    }

    [Theory]
    [InlineData(50, new[] { 2, 2, 2, 2, 2, 2 })]
    [InlineData(30, new[] { 3, 4, 3, 3, 4, 3 })]
    [InlineData(15, new[] { 7, 6, 7, 7, 6, 7 })]
    [InlineData(24, new[] { 4, 4, 5, 4, 4, 4 })]
    [InlineData(1, new[] { 100, 100, 100, 100, 100, 100 })]
    [InlineData(0.5, new[] { 200, 200, 200, 200, 200, 200 })]
    public void WriteFrame_FrameRate_DelaysInCentisecondsTrackTheTrueTime(double framesPerSecond, int[] expectedDelays)
    {
        var frames = Enumerable.Range(0, 60).Select(step => SyntheticFrames.Cart(8, 6, step)).ToList();

        var delays = EncodeAndDecode(8, 6, framesPerSecond, frames).Frames.Select(frame => frame.DelayCentiseconds).ToList();

        Assert.Equal(expectedDelays, delays.Take(6));
        for (var count = 1; count <= delays.Count; count++)
        {
            var trueCentiseconds = count * 100 / framesPerSecond;
            Assert.InRange(delays.Take(count).Sum(), trueCentiseconds - 0.5, trueCentiseconds + 0.5);
        }
    }

    [Fact]
    public void WriteFrame_EachFrame_ReachesTheStreamBeforeComplete()
    {
        using var stream = new MemoryStream();
        using var writer = new GifWriter(stream, 32, 24, 10, leaveOpen: true);
        var lengths = new List<long> { stream.Length };
        for (var step = 0; step < 3; step++)
        {
            writer.WriteFrame(SyntheticFrames.Cart(32, 24, step * 5));
            lengths.Add(stream.Length);
        }

        Assert.True(lengths[0] > 0, "The header is written when the writer is created.");
        Assert.True(lengths[1] > lengths[0] && lengths[2] > lengths[1] && lengths[3] > lengths[2], string.Join(", ", lengths));
    }

    [Fact]
    public void Dispose_WithoutComplete_FinishesTheGif()
    {
        using var stream = new MemoryStream();
        var frames = new[] { SyntheticFrames.Cart(10, 10, 0), SyntheticFrames.Cart(10, 10, 4) };
        using (var writer = new GifWriter(stream, 10, 10, 10, leaveOpen: true))
        {
            writer.WriteFrame(frames[0]);
            writer.WriteFrame(frames[1]);
        }

        AssertFramesExact(frames, GifDecoder.Decode(stream.ToArray()));
    }

    [Fact]
    public void Dispose_ByDefault_ClosesTheStream()
    {
        var stream = new MemoryStream();
        using (var writer = new GifWriter(stream, 2, 2, 10))
        {
            writer.WriteFrame(new byte[12]);
        }

        Assert.False(stream.CanWrite);
    }

    [Fact]
    public void Complete_WithoutFrames_WritesAGifWithNoImages()
    {
        var gif = EncodeAndDecode(4, 4, 10, []);

        Assert.Empty(gif.Frames);
        Assert.Equal(0, gif.LoopCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(299)]
    [InlineData(301)]
    public void WriteFrame_WrongLength_ThrowsNamingExpectedAndActualBytes(int length)
    {
        using var writer = new GifWriter(new MemoryStream(), 10, 10, 10);

        var exception = Assert.Throws<ArgumentException>(() => writer.WriteFrame(new byte[length]));

        Assert.Equal("rgb", exception.ParamName);
        Assert.Contains("10×10", exception.Message);
        Assert.Contains("300 bytes", exception.Message);
        Assert.Contains($"got {length} bytes", exception.Message);
        Assert.Equal(0, writer.FrameCount);
    }

    [Fact]
    public void WriteFrame_AfterComplete_Throws()
    {
        using var writer = new GifWriter(new MemoryStream(), 2, 2, 10);
        writer.WriteFrame(new byte[12]);
        writer.Complete();

        Assert.Throws<InvalidOperationException>(() => writer.WriteFrame(new byte[12]));
        Assert.Throws<InvalidOperationException>(writer.Complete);
    }

    [Fact]
    public void WriteFrame_AfterDispose_ThrowsObjectDisposed()
    {
        var writer = new GifWriter(new MemoryStream(), 2, 2, 10);
        writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.WriteFrame(new byte[12]));
    }

    [Theory]
    [InlineData(0, 10, 10)]
    [InlineData(10, 0, 10)]
    [InlineData(-1, 10, 10)]
    [InlineData(65536, 1, 10)]
    [InlineData(1, 65536, 10)]
    [InlineData(10, 10, 0)]
    [InlineData(10, 10, -5)]
    [InlineData(10, 10, double.NaN)]
    [InlineData(10, 10, double.PositiveInfinity)]
    [InlineData(10, 10, 60)]
    [InlineData(10, 10, 0.001)]
    public void Constructor_BadSizeOrRate_ThrowsArgumentOutOfRange(int width, int height, double framesPerSecond)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GifWriter(new MemoryStream(), width, height, framesPerSecond));
    }

    [Fact]
    public void Constructor_ReadOnlyStream_ThrowsArgumentException()
    {
        using var readOnly = new MemoryStream([], writable: false);

        var exception = Assert.Throws<ArgumentException>(() => new GifWriter(readOnly, 4, 4, 10));

        Assert.Equal("stream", exception.ParamName);
    }

    [Fact]
    public void WriteFrame_FailingStream_FaultsTheWriter()
    {
        using var stream = new FailAfterStream(maxBytes: 200);
        using var writer = new GifWriter(stream, 64, 64, 10, leaveOpen: true);

        Assert.Throws<IOException>(() => writer.WriteFrame(SyntheticFrames.RandomFromPalette(64, 64, 100, new Random(3))));
        var exception = Assert.Throws<InvalidOperationException>(() => writer.WriteFrame(SyntheticFrames.Solid(64, 64, (1, 1, 1))));
        Assert.Contains("failed", exception.Message);
    }

    /// <summary>A memory stream that fails once more than a given number of bytes were written.</summary>
    private sealed class FailAfterStream(int maxBytes) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            Check(count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override void WriteByte(byte value)
        {
            Check(1);
            base.WriteByte(value);
        }

        private void Check(int count)
        {
            if (Length + count > maxBytes)
            {
                throw new IOException("disk full (simulated)");
            }
        }
    }
}
