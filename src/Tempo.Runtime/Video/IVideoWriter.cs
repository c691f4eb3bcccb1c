namespace Tempo.Runtime.Video;

/// <summary>Writes a sequence of equally sized RGB24 frames to a video file as they arrive.</summary>
/// <remarks>
/// Frames are packed RGB24, row-major, top row first — what <see cref="Tempo.Core.Envs.IRenderable.Render"/> writes.
/// <see cref="Complete"/> finishes the file and reports any failure; <see cref="IDisposable.Dispose"/> finishes it too
/// when <see cref="Complete"/> was not called (as <see cref="StreamWriter"/> flushes on dispose) and always
/// releases the file and any helper process.
/// </remarks>
public interface IVideoWriter : IDisposable
{
    /// <summary>Frame width in pixels.</summary>
    int Width { get; }

    /// <summary>Frame height in pixels.</summary>
    int Height { get; }

    /// <summary>Playback rate in frames per second.</summary>
    double FramesPerSecond { get; }

    /// <summary>Number of frames written so far.</summary>
    int FrameCount { get; }

    /// <summary>Appends one frame of exactly <c>Width × Height × 3</c> bytes.</summary>
    /// <param name="rgb">Packed RGB24 pixels, row-major, top row first.</param>
    void WriteFrame(ReadOnlySpan<byte> rgb);

    /// <summary>Finishes the video file; throws if the file could not be written.</summary>
    void Complete();
}
