using System.Diagnostics;
using Tempo.Runtime.Video;

namespace Tempo.Runtime.Tests.Video;

/// <summary>
/// MP4 writing through a real ffmpeg, checked with ffprobe and ffmpeg's decoder. Without ffmpeg these tests
/// skip loudly, and fail in CI; the ones about process failures use small shell scripts standing in for ffmpeg.
/// </summary>
public sealed class FfmpegVideoWriterTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tempo-video-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string fileName) => Path.Combine(_directory.FullName, fileName);

    private string Script(string name, string body)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The fake ffmpeg executables are shell scripts.");
        }

        var path = PathOf(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [SkippableFact]
    public void Complete_ShortClip_FfprobeSeesEveryFrameAtTheFrameSize()
    {
        var path = PathOf("clip.mp4");
        using (var writer = new FfmpegVideoWriter(FfmpegTools.RequireFfmpeg(), path, 64, 48, 25))
        {
            for (var step = 0; step < 25; step++)
            {
                writer.WriteFrame(SyntheticFrames.Cart(64, 48, step));
            }

            writer.Complete();
            Assert.Equal(25, writer.FrameCount);
        }

        var stream = FfmpegTools.ProbeVideoStream(path);
        Assert.Equal("h264", stream["codec_name"]);
        Assert.Equal("yuv420p", stream["pix_fmt"]);
        Assert.Equal(("64", "48"), (stream["width"], stream["height"]));
        Assert.Equal("25", stream["nb_read_frames"]);
    }

    [SkippableFact]
    public void Complete_OddSize_IsPaddedToEvenDimensions()
    {
        var path = PathOf("odd.mp4");
        using (var writer = new FfmpegVideoWriter(FfmpegTools.RequireFfmpeg(), path, 33, 21, 30))
        {
            for (var step = 0; step < 7; step++)
            {
                writer.WriteFrame(SyntheticFrames.Cart(33, 21, step));
            }

            writer.Complete();
        }

        var stream = FfmpegTools.ProbeVideoStream(path);
        Assert.Equal(("34", "22"), (stream["width"], stream["height"]));
        Assert.Equal("7", stream["nb_read_frames"]);
    }

    [SkippableFact]
    public void Complete_SolidColours_DecodeToTheSameColoursInOrder()
    {
        const int width = 32, height = 32;
        (byte, byte, byte)[] colours = [(220, 30, 30), (30, 220, 30), (30, 30, 220), (250, 250, 250)];
        var path = PathOf("colours.mp4");
        using (var writer = new FfmpegVideoWriter(FfmpegTools.RequireFfmpeg(), path, width, height, 10))
        {
            foreach (var colour in colours)
            {
                writer.WriteFrame(SyntheticFrames.Solid(width, height, colour));
            }

            writer.Complete();
        }

        var decoded = FfmpegTools.DecodeToRgb(path);

        // yuv420p is lossy; flat colours come back within a few levels, and a red/blue swap would be off by ~190.
        Assert.Equal(colours.Length * width * height * 3, decoded.Length);
        for (var frame = 0; frame < colours.Length; frame++)
        {
            var (red, green, blue) = colours[frame];
            var pixels = decoded.AsSpan(frame * width * height * 3, width * height * 3);
            for (var i = 0; i < pixels.Length; i += 3)
            {
                Assert.InRange(pixels[i], red - 12, red + 12);
                Assert.InRange(pixels[i + 1], green - 12, green + 12);
                Assert.InRange(pixels[i + 2], blue - 12, blue + 12);
            }
        }
    }

    [SkippableFact]
    public void Dispose_WithoutComplete_FinishesTheFile()
    {
        var path = PathOf("disposed.mp4");
        using (var writer = new FfmpegVideoWriter(FfmpegTools.RequireFfmpeg(), path, 16, 16, 10))
        {
            for (var step = 0; step < 4; step++)
            {
                writer.WriteFrame(SyntheticFrames.Cart(16, 16, step));
            }
        }

        Assert.Equal("4", FfmpegTools.ProbeVideoStream(path)["nb_read_frames"]);
    }

    [SkippableFact]
    public void Complete_FfmpegFails_ThrowsWithItsExitCodeAndErrorOutput()
    {
        // A directory where the file should go makes ffmpeg fail when it opens its output.
        var path = PathOf("taken.mp4");
        Directory.CreateDirectory(path);
        using var writer = new FfmpegVideoWriter(FfmpegTools.RequireFfmpeg(), path, 16, 16, 10);

        var exception = Assert.Throws<InvalidOperationException>(() =>
        {
            for (var step = 0; step < 100; step++)
            {
                writer.WriteFrame(SyntheticFrames.Cart(16, 16, step));
            }

            writer.Complete();
        });

        Assert.Contains("ffmpeg", exception.Message);
        Assert.Contains("Is a directory", exception.Message);
    }

    [SkippableFact]
    public void WriteFrame_WrongLength_ThrowsNamingExpectedAndActualBytes()
    {
        using var writer = new FfmpegVideoWriter(FfmpegTools.RequireFfmpeg(), PathOf("length.mp4"), 4, 2, 10);
        writer.WriteFrame(new byte[24]);

        var exception = Assert.Throws<ArgumentException>(() => writer.WriteFrame(new byte[23]));

        Assert.Contains("4×2", exception.Message);
        Assert.Contains("24 bytes", exception.Message);
        Assert.Contains("got 23 bytes", exception.Message);
        Assert.Equal(1, writer.FrameCount);
    }

    [SkippableFact]
    public void WriteFrame_AfterComplete_Throws()
    {
        using var writer = new FfmpegVideoWriter(FfmpegTools.RequireFfmpeg(), PathOf("after.mp4"), 4, 4, 10);
        writer.WriteFrame(new byte[48]);
        writer.Complete();

        Assert.Throws<InvalidOperationException>(() => writer.WriteFrame(new byte[48]));
    }

    [Fact]
    public void Complete_ProcessExitsWithError_ReportsExitCodeAndStandardError()
    {
        var fake = Script("failing-ffmpeg", "echo 'simulated encoder failure' >&2\nexit 3");
        using var writer = new FfmpegVideoWriter(fake, PathOf("fails.mp4"), 8, 8, 10);

        // The fake exits at once: the failure shows either on a write (broken pipe) or on completion.
        var exception = Assert.Throws<InvalidOperationException>(() =>
        {
            for (var step = 0; step < 1000; step++)
            {
                writer.WriteFrame(new byte[8 * 8 * 3]);
            }

            writer.Complete();
        });

        Assert.Contains("code 3", exception.Message);
        Assert.Contains("simulated encoder failure", exception.Message);
    }

    [Fact]
    public void Dispose_ProcessStillRunning_KillsIt()
    {
        // Stands in for an ffmpeg that hangs: it never reads its input nor exits on its own.
        var fake = Script("hanging-ffmpeg", "exec sleep 60");
        var writer = new FfmpegVideoWriter(fake, PathOf("hangs.mp4"), 8, 8, 10, TimeSpan.FromMilliseconds(300));
        var processId = writer.ProcessId;

        Assert.Throws<TimeoutException>(writer.Complete);
        Assert.False(Process.GetProcessById(processId).HasExited);
        writer.Dispose();

        Assert.Throws<ArgumentException>(() => Process.GetProcessById(processId));
    }

    [Fact]
    public void Constructor_ExecutableMissing_ThrowsSayingToInstallFfmpeg()
    {
        var exception = Assert.Throws<InvalidOperationException>(
            () => new FfmpegVideoWriter(PathOf("no-such-ffmpeg"), PathOf("x.mp4"), 8, 8, 10));

        Assert.Contains("Install ffmpeg", exception.Message);
        Assert.Contains(".gif", exception.Message);
    }

    [Fact]
    public void Constructor_OutputDirectoryMissing_ThrowsBeforeStartingFfmpeg()
    {
        var missing = PathOf("no-such-directory");

        var exception = Assert.Throws<DirectoryNotFoundException>(
            () => new FfmpegVideoWriter(PathOf("no-such-ffmpeg"), Path.Combine(missing, "x.mp4"), 8, 8, 10));

        Assert.Contains(missing, exception.Message);
    }

    [Theory]
    [InlineData(0, 8, 10)]
    [InlineData(8, -1, 10)]
    [InlineData(8, 8, 0)]
    [InlineData(8, 8, double.NaN)]
    public void Constructor_BadSizeOrRate_ThrowsBeforeStartingFfmpeg(int width, int height, double framesPerSecond)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new FfmpegVideoWriter(PathOf("no-such-ffmpeg"), PathOf("x.mp4"), width, height, framesPerSecond));
    }

    [SkippableFact]
    public void GifWriter_Output_DecodedByFfmpegMatchesTheFrames()
    {
        // ffmpeg's GIF decoder is a second, independent reader of what GifWriter writes.
        const int width = 45, height = 31;
        var random = new Random(11);
        var frames = Enumerable.Range(0, 12).Select(step => SyntheticFrames.Cart(width, height, step)).ToList();
        frames.Add(frames[^1]);
        frames.Add(SyntheticFrames.RandomFromPalette(width, height, 256, random));
        frames.Add(SyntheticFrames.Solid(width, height, (3, 200, 90)));
        var path = PathOf("cross-check.gif");
        using (var writer = new GifWriter(File.Create(path), width, height, 30))
        {
            frames.ForEach(frame => writer.WriteFrame(frame));
            writer.Complete();
        }

        var decoded = FfmpegTools.DecodeToRgb(path);

        Assert.Equal(frames.Count * width * height * 3, decoded.Length);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.True(frames[i].AsSpan().SequenceEqual(decoded.AsSpan(i * width * height * 3, width * height * 3)), $"Frame {i} differs.");
        }
    }
}
