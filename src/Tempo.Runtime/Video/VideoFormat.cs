namespace Tempo.Runtime.Video;

/// <summary>A video container the runtime can write, chosen by file extension.</summary>
public enum VideoFormat
{
    /// <summary>Animated GIF89a (<c>.gif</c>), written by our own encoder.</summary>
    Gif,

    /// <summary>H.264 in MP4 (<c>.mp4</c>), written by an external ffmpeg process.</summary>
    Mp4,
}
