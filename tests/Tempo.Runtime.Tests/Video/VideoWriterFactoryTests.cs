using Tempo.Runtime.Video;

namespace Tempo.Runtime.Tests.Video;

public sealed class VideoWriterFactoryTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tempo-video-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string fileName) => Path.Combine(_directory.FullName, fileName);

    [Theory]
    [InlineData("episode.gif", VideoFormat.Gif)]
    [InlineData("EPISODE.GIF", VideoFormat.Gif)]
    [InlineData("runs/cartpole/episode.mp4", VideoFormat.Mp4)]
    [InlineData("episode.Mp4", VideoFormat.Mp4)]
    [InlineData("my.video.gif", VideoFormat.Gif)]
    public void GetFormat_KnownExtension_ReturnsFormat(string path, VideoFormat expected)
    {
        Assert.Equal(expected, VideoWriterFactory.GetFormat(path));
    }

    [Theory]
    [InlineData("episode.avi", "'.avi'")]
    [InlineData("episode.png", "'.png'")]
    [InlineData("episode.gif.tmp", "'.tmp'")]
    [InlineData("episode", "no extension")]
    public void GetFormat_OtherExtension_ThrowsNamingItAndTheSupportedOnes(string path, string named)
    {
        var exception = Assert.Throws<ArgumentException>(() => VideoWriterFactory.GetFormat(path));

        Assert.Contains(named, exception.Message);
        Assert.Contains(".gif and .mp4", exception.Message);
        Assert.Equal("path", exception.ParamName);
    }

    [Fact]
    public void Create_Gif_WritesADecodableGifFile()
    {
        var path = PathOf("episode.gif");
        var frames = Enumerable.Range(0, 5).Select(step => SyntheticFrames.Cart(24, 16, step)).ToList();

        using (var writer = VideoWriterFactory.Create(path, 24, 16, 50))
        {
            Assert.IsType<GifWriter>(writer);
            Assert.Equal((24, 16, 50.0), (writer.Width, writer.Height, writer.FramesPerSecond));
            frames.ForEach(frame => writer.WriteFrame(frame));
            writer.Complete();
        }

        var gif = GifDecoder.Decode(File.ReadAllBytes(path));
        Assert.Equal(frames.Count, gif.Frames.Count);
        Assert.Equal(frames[^1], gif.Frames[^1].Canvas);
    }

    [Fact]
    public void Create_GifWithBadRate_ThrowsWithoutCreatingTheFile()
    {
        var path = PathOf("fast.gif");

        Assert.Throws<ArgumentOutOfRangeException>(() => VideoWriterFactory.Create(path, 24, 16, 60));

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Create_UnsupportedExtension_ThrowsWithoutCreatingTheFile()
    {
        var path = PathOf("episode.webm");

        var exception = Assert.Throws<ArgumentException>(() => VideoWriterFactory.Create(path, 24, 16, 30));

        Assert.Contains("'.webm'", exception.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Create_Mp4WithoutFfmpeg_ThrowsSayingToInstallFfmpegOrUseGif()
    {
        var path = PathOf("episode.mp4");

        var exception = Assert.Throws<FileNotFoundException>(() => VideoWriterFactory.Create(path, 24, 16, 30, ffmpegExecutable: null));

        Assert.Contains("ffmpeg", exception.Message);
        Assert.Contains("Install ffmpeg", exception.Message);
        Assert.Contains(".gif", exception.Message);
        Assert.False(File.Exists(path));
    }

    [SkippableFact]
    public void Create_Mp4_UsesFfmpegFromPath()
    {
        FfmpegTools.RequireFfmpeg();
        var path = PathOf("episode.mp4");

        using (var writer = VideoWriterFactory.Create(path, 24, 16, 30))
        {
            Assert.IsType<FfmpegVideoWriter>(writer);
            writer.WriteFrame(SyntheticFrames.Cart(24, 16, 0));
            writer.Complete();
        }

        Assert.Equal("1", FfmpegTools.ProbeVideoStream(path)["nb_read_frames"]);
    }
}
