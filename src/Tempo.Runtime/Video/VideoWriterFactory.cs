using System.Diagnostics;

namespace Tempo.Runtime.Video;

/// <summary>Creates the video writer for a file from its extension: <c>.gif</c> or <c>.mp4</c>.</summary>
public static class VideoWriterFactory
{
    /// <summary>Returns the format a path's extension names; throws for any other extension.</summary>
    /// <param name="path">The video file path.</param>
    public static VideoFormat GetFormat(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path);
        if (extension.Equals(".gif", StringComparison.OrdinalIgnoreCase))
        {
            return VideoFormat.Gif;
        }

        if (extension.Equals(".mp4", StringComparison.OrdinalIgnoreCase))
        {
            return VideoFormat.Mp4;
        }

        var named = extension.Length == 0 ? "has no extension" : $"has the extension '{extension}'";
        throw new ArgumentException($"Cannot write the video '{path}': it {named}; supported formats are .gif and .mp4 (MP4 needs ffmpeg).", nameof(path));
    }

    /// <summary>Checks, before anything is played or rendered, that a video can be written to <paramref name="path"/>: a known format, an existing folder, and ffmpeg on PATH for MP4.</summary>
    /// <param name="path">The video file to create or overwrite.</param>
    /// <exception cref="ArgumentException">The extension is not .gif or .mp4.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder the file should go in does not exist.</exception>
    /// <exception cref="FileNotFoundException">The format is MP4 and ffmpeg is not on PATH.</exception>
    public static void Check(string path)
    {
        var format = GetFormat(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write the video '{path}': the folder {folder} does not exist.");
        }

        if (format == VideoFormat.Mp4 && FfmpegLocator.Find() is null)
        {
            throw FfmpegMissing(path);
        }
    }

    /// <summary>Creates a writer for the path's format, looking for ffmpeg on PATH when the format is MP4.</summary>
    /// <param name="path">The video file to create or overwrite.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="framesPerSecond">Playback rate in frames per second.</param>
    public static IVideoWriter Create(string path, int width, int height, double framesPerSecond)
    {
        var ffmpegExecutable = GetFormat(path) == VideoFormat.Mp4 ? FfmpegLocator.Find() : null;
        return Create(path, width, height, framesPerSecond, ffmpegExecutable);
    }

    /// <summary>Creates a writer for the path's format, using the given ffmpeg for MP4.</summary>
    /// <param name="path">The video file to create or overwrite.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="framesPerSecond">Playback rate in frames per second.</param>
    /// <param name="ffmpegExecutable">Path of ffmpeg, or null when it is not installed; unused for GIF.</param>
    /// <exception cref="FileNotFoundException">The format is MP4 and <paramref name="ffmpegExecutable"/> is null.</exception>
    public static IVideoWriter Create(string path, int width, int height, double framesPerSecond, string? ffmpegExecutable)
    {
        switch (GetFormat(path))
        {
            case VideoFormat.Gif:
                return CreateGif(path, width, height, framesPerSecond);
            case VideoFormat.Mp4:
                if (ffmpegExecutable is null)
                {
                    throw FfmpegMissing(path);
                }

                return new FfmpegVideoWriter(ffmpegExecutable, path, width, height, framesPerSecond);
            default:
                throw new UnreachableException();
        }
    }

    private static FileNotFoundException FfmpegMissing(string path) =>
        new($"Cannot write the video '{path}': MP4 needs ffmpeg, which was not found on PATH. Install ffmpeg (e.g. 'apt-get install ffmpeg') or write a .gif instead.", "ffmpeg");

    private static GifWriter CreateGif(string path, int width, int height, double framesPerSecond)
    {
        // Bad sizes or rates are reported before the file is created.
        GifWriter.ValidateArguments(width, height, framesPerSecond);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            return new GifWriter(stream, width, height, framesPerSecond);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
