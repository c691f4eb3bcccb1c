using System.Buffers.Binary;

namespace Tempo.Runtime.Video;

/// <summary>Writes an animated GIF89a that loops forever, encoding each frame to the stream as it arrives.</summary>
/// <remarks>
/// <para>
/// Layout (GIF89a specification): header, logical screen descriptor without a global colour table, the
/// NETSCAPE2.0 application extension (loop count 0 = forever), then per frame a graphic control extension
/// (delay, disposal "do not dispose"), an image descriptor with a local colour table, and LZW image data;
/// finally the trailer.
/// </para>
/// <para>
/// Colours: every frame gets its own colour table built from the colours it uses, so frames with at most 256
/// distinct colours — rendered environments draw a handful of flat colours — are reproduced exactly. Frames with
/// more keep their 40 most frequent colours exact and map the rest to the nearest colour of those plus a uniform
/// 6×6×6 cube, without dithering.
/// </para>
/// <para>
/// Only the rectangle that changed since the previous frame is encoded; the rest of the canvas stays from
/// earlier frames. Delays are whole centiseconds, rounded so that the running total stays within half a
/// centisecond of the true time: at 30 frames per second they go 3, 4, 3, 3, 4, 3, ….
/// </para>
/// </remarks>
public sealed class GifWriter : IVideoWriter
{
    /// <summary>The highest frame rate a GIF can play: viewers stretch delays below 2 centiseconds to 10.</summary>
    public const double MaxFramesPerSecond = 50;

    /// <summary>The lowest frame rate accepted: one frame per 100 seconds, within the 16-bit delay field.</summary>
    public const double MinFramesPerSecond = 0.01;

    private const int MaxDimension = ushort.MaxValue;
    private const byte ExtensionIntroducer = 0x21;
    private const byte ImageSeparator = 0x2C;
    private const byte Trailer = 0x3B;

    // Frame block before the colour table: graphic control extension (8 bytes) + image descriptor (10 bytes).
    private const int FrameHeaderLength = 18;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly GifPaletteBuilder _paletteBuilder = new();
    private readonly GifLzwEncoder _encoder = new();
    private readonly int[] _palette = new int[GifPaletteBuilder.MaxColours];
    private readonly byte[] _frameHeader = new byte[FrameHeaderLength + (3 * GifPaletteBuilder.MaxColours)];
    private readonly byte[] _indices;
    private readonly byte[] _previousFrame;
    private long _elapsedCentiseconds;
    private WriterState _state;

    /// <summary>Creates a writer and writes the GIF header to the stream.</summary>
    /// <param name="stream">A writable stream that receives the GIF.</param>
    /// <param name="width">Frame width in pixels, 1 to 65535.</param>
    /// <param name="height">Frame height in pixels, 1 to 65535.</param>
    /// <param name="framesPerSecond">Playback rate, <see cref="MinFramesPerSecond"/> to <see cref="MaxFramesPerSecond"/>.</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves the stream open.</param>
    public GifWriter(Stream stream, int width, int height, double framesPerSecond, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The GIF stream must be writable.", nameof(stream));
        }

        ValidateArguments(width, height, framesPerSecond);
        (_stream, _leaveOpen) = (stream, leaveOpen);
        (Width, Height, FramesPerSecond) = (width, height, framesPerSecond);
        _indices = new byte[width * height];
        _previousFrame = new byte[width * height * 3];
        WriteHeader();
    }

    private enum WriterState
    {
        Open,
        Completed,
        Faulted,
        Disposed,
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public double FramesPerSecond { get; }

    /// <inheritdoc/>
    public int FrameCount { get; private set; }

    /// <inheritdoc/>
    public void WriteFrame(ReadOnlySpan<byte> rgb)
    {
        RgbFrameChecks.RequireFrameLength(rgb.Length, Width, Height, nameof(rgb));
        ThrowIfNotOpen();

        var region = FrameCount == 0 ? new GifRegion(0, 0, Width, Height) : ChangedRegion(rgb);
        var paletteCount = _paletteBuilder.Quantize(rgb, Width, region, _indices, _palette);
        var tableBits = TableBits(paletteCount);
        try
        {
            WriteFrameHeader(region, NextDelayCentiseconds(), tableBits, paletteCount);
            _encoder.Encode(_indices.AsSpan(0, region.Area), Math.Max(2, tableBits), _stream);
        }
        catch
        {
            // The stream holds half a frame now; nothing more can be appended to it.
            _state = WriterState.Faulted;
            throw;
        }

        rgb.CopyTo(_previousFrame);
        FrameCount++;
    }

    /// <summary>Writes the GIF trailer and flushes the stream.</summary>
    public void Complete()
    {
        ThrowIfNotOpen();
        try
        {
            _stream.WriteByte(Trailer);
            _stream.Flush();
        }
        catch
        {
            _state = WriterState.Faulted;
            throw;
        }

        _state = WriterState.Completed;
    }

    /// <summary>Completes the GIF if <see cref="Complete"/> was not called, then closes the stream unless it was left open.</summary>
    public void Dispose()
    {
        if (_state == WriterState.Disposed)
        {
            return;
        }

        try
        {
            if (_state == WriterState.Open)
            {
                Complete();
            }
        }
        finally
        {
            _state = WriterState.Disposed;
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    /// <summary>Throws unless the arguments describe a GIF this writer can produce.</summary>
    internal static void ValidateArguments(int width, int height, double framesPerSecond)
    {
        RgbFrameChecks.RequireSize(width, height);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxDimension);
        RgbFrameChecks.RequireFrameRate(framesPerSecond);
        if (framesPerSecond is < MinFramesPerSecond or > MaxFramesPerSecond)
        {
            throw new ArgumentOutOfRangeException(
                nameof(framesPerSecond),
                framesPerSecond,
                $"A GIF plays {MinFramesPerSecond} to {MaxFramesPerSecond} frames per second: delays are whole centiseconds and viewers stretch delays below 2 to 10. Record at a lower rate or write an .mp4.");
        }
    }

    private void ThrowIfNotOpen()
    {
        switch (_state)
        {
            case WriterState.Completed:
                throw new InvalidOperationException("The GIF is already complete; no more frames can be written.");
            case WriterState.Faulted:
                throw new InvalidOperationException("An earlier write to the GIF stream failed; the GIF cannot be continued.");
            case WriterState.Disposed:
                throw new ObjectDisposedException(nameof(GifWriter));
        }
    }

    private void WriteHeader()
    {
        Span<byte> header = stackalloc byte[13 + 19];
        "GIF89a"u8.CopyTo(header);

        // Logical screen descriptor: size; no global colour table, 8-bit colour resolution; background 0; square pixels.
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)Width);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], (ushort)Height);
        header[10] = 0x70;
        header[11] = 0;
        header[12] = 0;

        // NETSCAPE2.0 application extension: sub-block id 1 carries the loop count, 0 meaning forever.
        var loop = header[13..];
        loop[0] = ExtensionIntroducer;
        loop[1] = 0xFF;
        loop[2] = 11;
        "NETSCAPE2.0"u8.CopyTo(loop[3..]);
        loop[14] = 3;
        loop[15] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(loop[16..], 0);
        loop[18] = 0;

        _stream.Write(header);
    }

    private void WriteFrameHeader(GifRegion region, int delayCentiseconds, int tableBits, int paletteCount)
    {
        var header = _frameHeader.AsSpan();

        // Graphic control extension: disposal 1 (leave the image for the next frame to draw over), no transparency.
        header[0] = ExtensionIntroducer;
        header[1] = 0xF9;
        header[2] = 4;
        header[3] = 1 << 2;
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], (ushort)delayCentiseconds);
        header[6] = 0;
        header[7] = 0;

        // Image descriptor with a local colour table of 2^tableBits entries, not interlaced.
        header[8] = ImageSeparator;
        BinaryPrimitives.WriteUInt16LittleEndian(header[9..], (ushort)region.Left);
        BinaryPrimitives.WriteUInt16LittleEndian(header[11..], (ushort)region.Top);
        BinaryPrimitives.WriteUInt16LittleEndian(header[13..], (ushort)region.Width);
        BinaryPrimitives.WriteUInt16LittleEndian(header[15..], (ushort)region.Height);
        header[17] = (byte)(0x80 | (tableBits - 1));

        var table = header.Slice(FrameHeaderLength, 3 << tableBits);
        for (var i = 0; i < paletteCount; i++)
        {
            table[3 * i] = (byte)(_palette[i] >> 16);
            table[(3 * i) + 1] = (byte)(_palette[i] >> 8);
            table[(3 * i) + 2] = (byte)_palette[i];
        }

        table[(3 * paletteCount)..].Clear();
        _stream.Write(header[..(FrameHeaderLength + table.Length)]);
    }

    /// <summary>The delay of the next frame, so that frame n ends at round(100 n / fps) centiseconds.</summary>
    private int NextDelayCentiseconds()
    {
        var end = (long)Math.Round((FrameCount + 1) * 100.0 / FramesPerSecond, MidpointRounding.AwayFromZero);
        var delay = end - _elapsedCentiseconds;
        _elapsedCentiseconds = end;
        return (int)delay;
    }

    /// <summary>The smallest rectangle holding every pixel that differs from the previous frame; one pixel if none does.</summary>
    private GifRegion ChangedRegion(ReadOnlySpan<byte> rgb)
    {
        var rowBytes = Width * 3;
        ReadOnlySpan<byte> previous = _previousFrame;

        var top = 0;
        while (top < Height && rgb.Slice(top * rowBytes, rowBytes).SequenceEqual(previous.Slice(top * rowBytes, rowBytes)))
        {
            top++;
        }

        if (top == Height)
        {
            // GIF has no empty image; redrawing one unchanged pixel keeps the frame (and its delay) in the file.
            return new GifRegion(0, 0, 1, 1);
        }

        var bottom = Height - 1;
        while (rgb.Slice(bottom * rowBytes, rowBytes).SequenceEqual(previous.Slice(bottom * rowBytes, rowBytes)))
        {
            bottom--;
        }

        var left = Width;
        var right = -1;
        for (var y = top; y <= bottom; y++)
        {
            var row = rgb.Slice(y * rowBytes, rowBytes);
            var previousRow = previous.Slice(y * rowBytes, rowBytes);
            var firstDifference = row.CommonPrefixLength(previousRow);
            if (firstDifference == rowBytes)
            {
                continue;
            }

            left = Math.Min(left, firstDifference / 3);
            for (var x = Width - 1; x > right; x--)
            {
                if (!row.Slice(x * 3, 3).SequenceEqual(previousRow.Slice(x * 3, 3)))
                {
                    right = x;
                    break;
                }
            }
        }

        return new GifRegion(left, top, right - left + 1, bottom - top + 1);
    }

    /// <summary>Bits of the smallest colour table (2 to 256 entries) that holds the palette.</summary>
    private static int TableBits(int paletteCount)
    {
        var bits = 1;
        while ((1 << bits) < paletteCount)
        {
            bits++;
        }

        return bits;
    }
}
