using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tempo.Runtime.Video;

/// <summary>Writes an H.264 MP4 by piping raw RGB24 frames to an ffmpeg process.</summary>
/// <remarks>
/// ffmpeg reads <c>-f rawvideo -pix_fmt rgb24</c> from its standard input and encodes with libx264 to yuv420p,
/// the pixel format every player decodes. yuv420p needs even dimensions, so odd frames are padded by one black
/// column or row on the right or bottom rather than scaled, which would blur every pixel.
/// ffmpeg's error output is collected and quoted in the exception when it fails; the process is killed on
/// dispose if it is still running.
/// </remarks>
public sealed class FfmpegVideoWriter : IVideoWriter
{
    private const int MaxErrorOutputChars = 16_384;

    private readonly Process _process;
    private readonly Stream _input;
    private readonly string _outputPath;
    private readonly TimeSpan _completionTimeout;
    private readonly StringBuilder _errorOutput = new();
    private WriterState _state;

    /// <summary>Starts ffmpeg writing to <paramref name="outputPath"/>, giving it a minute to finish after the last frame.</summary>
    /// <param name="ffmpegExecutable">Path of the ffmpeg executable (see <see cref="FfmpegLocator"/>).</param>
    /// <param name="outputPath">The MP4 file to create or overwrite; its directory must exist.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="framesPerSecond">Playback rate in frames per second.</param>
    public FfmpegVideoWriter(string ffmpegExecutable, string outputPath, int width, int height, double framesPerSecond)
        : this(ffmpegExecutable, outputPath, width, height, framesPerSecond, TimeSpan.FromMinutes(1))
    {
    }

    /// <summary>Starts ffmpeg writing to <paramref name="outputPath"/>.</summary>
    /// <param name="ffmpegExecutable">Path of the ffmpeg executable (see <see cref="FfmpegLocator"/>).</param>
    /// <param name="outputPath">The MP4 file to create or overwrite; its directory must exist.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="framesPerSecond">Playback rate in frames per second.</param>
    /// <param name="completionTimeout">How long <see cref="Complete"/> waits for ffmpeg to finish encoding after the last frame.</param>
    public FfmpegVideoWriter(string ffmpegExecutable, string outputPath, int width, int height, double framesPerSecond, TimeSpan completionTimeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(ffmpegExecutable);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        RgbFrameChecks.RequireSize(width, height);
        RgbFrameChecks.RequireFrameRate(framesPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(completionTimeout, TimeSpan.Zero);

        // An absolute path cannot be mistaken for an ffmpeg option, even if the caller's starts with '-'.
        _outputPath = Path.GetFullPath(outputPath);
        var directory = Path.GetDirectoryName(_outputPath);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Cannot write the video '{_outputPath}': the directory '{directory}' does not exist.");
        }

        (Width, Height, FramesPerSecond, _completionTimeout) = (width, height, framesPerSecond, completionTimeout);
        _process = Start(ffmpegExecutable, BuildArguments(_outputPath, width, height, framesPerSecond));
        _input = _process.StandardInput.BaseStream;
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

    /// <summary>The operating-system id of the ffmpeg process.</summary>
    internal int ProcessId => _process.Id;

    /// <inheritdoc/>
    public void WriteFrame(ReadOnlySpan<byte> rgb)
    {
        RgbFrameChecks.RequireFrameLength(rgb.Length, Width, Height, nameof(rgb));
        ThrowIfNotOpen();
        try
        {
            _input.Write(rgb);
        }
        catch (IOException exception)
        {
            // A broken pipe means ffmpeg has exited; its exit code and error output say why.
            _state = WriterState.Faulted;
            int? exitCode = null;
            if (_process.WaitForExit(_completionTimeout))
            {
                _process.WaitForExit();
                exitCode = _process.ExitCode;
            }

            throw new InvalidOperationException(FailureMessage(exitCode), exception);
        }

        FrameCount++;
    }

    /// <summary>Closes ffmpeg's input, waits for it to finish the file and throws if it failed.</summary>
    public void Complete()
    {
        ThrowIfNotOpen();

        // Every way out below except the last line is a failure, after which the writer cannot be resumed.
        _state = WriterState.Faulted;
        try
        {
            _input.Dispose();
        }
        catch (IOException)
        {
            // ffmpeg already closed its end; the exit code below reports the failure.
        }

        if (!_process.WaitForExit(_completionTimeout))
        {
            throw new TimeoutException($"ffmpeg did not finish writing '{_outputPath}' within {_completionTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; it will be killed.");
        }

        // The parameterless wait also waits until the error output has been read to its end.
        _process.WaitForExit();
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException(FailureMessage(_process.ExitCode));
        }

        _state = WriterState.Completed;
    }

    /// <summary>Completes the video if <see cref="Complete"/> was not called, then kills ffmpeg if it is still running.</summary>
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
            StopProcess();
        }
    }

    private static List<string> BuildArguments(string outputPath, int width, int height, double framesPerSecond)
    {
        var arguments = new List<string>
        {
            "-hide_banner", "-nostats", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24",
            "-s", string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"),
            "-r", framesPerSecond.ToString("R", CultureInfo.InvariantCulture),
            "-i", "pipe:0",
        };
        if (width % 2 != 0 || height % 2 != 0)
        {
            arguments.AddRange(["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2"]);
        }

        arguments.AddRange(["-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-movflags", "+faststart", outputPath]);
        return arguments;
    }

    private Process Start(string ffmpegExecutable, List<string> arguments)
    {
        var startInfo = new ProcessStartInfo(ffmpegExecutable)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        process.ErrorDataReceived += (_, line) => AppendErrorOutput(line.Data);

        // ffmpeg writes nothing to standard output when the output is a file; it is drained so it can never block.
        process.OutputDataReceived += static (_, _) => { };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start ffmpeg ('{ffmpegExecutable}'): {exception.Message}. Install ffmpeg or write a .gif instead.", exception);
        }

        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private void AppendErrorOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_errorOutput)
        {
            _errorOutput.AppendLine(line);

            // Keep the end: ffmpeg's last lines say why it stopped.
            if (_errorOutput.Length > MaxErrorOutputChars)
            {
                _errorOutput.Remove(0, _errorOutput.Length - MaxErrorOutputChars);
            }
        }
    }

    private string FailureMessage(int? exitCode)
    {
        string errorOutput;
        lock (_errorOutput)
        {
            errorOutput = _errorOutput.ToString().TrimEnd();
        }

        var status = exitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $"exited with code {code}") : "stopped reading its input";
        var details = errorOutput.Length > 0 ? $" ffmpeg said:{Environment.NewLine}{errorOutput}" : " ffmpeg printed no error output.";
        return $"ffmpeg {status} while writing '{_outputPath}'.{details}";
    }

    private void ThrowIfNotOpen()
    {
        switch (_state)
        {
            case WriterState.Completed:
                throw new InvalidOperationException($"The video '{_outputPath}' is already complete; no more frames can be written.");
            case WriterState.Faulted:
                throw new InvalidOperationException($"Writing the video '{_outputPath}' already failed; it cannot be continued.");
            case WriterState.Disposed:
                throw new ObjectDisposedException(nameof(FfmpegVideoWriter));
        }
    }

    private void StopProcess()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(_completionTimeout);
            }
        }
        catch (InvalidOperationException)
        {
            // The process exited between the check and the kill.
        }
        finally
        {
            _input.Dispose();
            _process.Dispose();
        }
    }
}
