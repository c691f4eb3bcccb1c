using System.Diagnostics;
using System.Text;
using Tempo.Tests.Shared;

namespace Tempo.Runtime.Tests.Video;

/// <summary>Finds and runs ffmpeg and ffprobe for the MP4 tests: skipped loudly when they are missing, failed in CI.</summary>
internal static class FfmpegTools
{
    /// <summary>ffmpeg's path; a missing ffmpeg skips the test loudly, or fails it in CI (<see cref="ExternalTool"/>).</summary>
    public static string RequireFfmpeg() => ExternalTool.Require("ffmpeg", "ffmpeg");

    /// <summary>ffprobe's path (Debian ships it in the ffmpeg package), with the same skip-or-fail rule.</summary>
    public static string RequireFfprobe() => ExternalTool.Require("ffprobe", "ffmpeg");

    /// <summary>Runs a program to completion and returns its exit code, standard output bytes and error text.</summary>
    public static (int ExitCode, byte[] Output, string Error) Run(string executable, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        return (process.ExitCode, output.ToArray(), error.Result);
    }

    /// <summary>Reads the first video stream's properties with ffprobe, counting frames by decoding them.</summary>
    public static Dictionary<string, string> ProbeVideoStream(string path)
    {
        var (exitCode, output, error) = Run(
            RequireFfprobe(),
            "-v", "error", "-select_streams", "v:0", "-count_frames",
            "-show_entries", "stream=codec_name,width,height,pix_fmt,nb_read_frames",
            "-of", "default=noprint_wrappers=1", path);
        Assert.True(exitCode == 0, $"ffprobe failed on {path}: {error}");
        return Encoding.UTF8.GetString(output)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }

    /// <summary>Decodes every frame of a video or GIF to packed RGB24 with ffmpeg, one output frame per input frame.</summary>
    public static byte[] DecodeToRgb(string path)
    {
        var (exitCode, output, error) = Run(
            RequireFfmpeg(),
            "-v", "error", "-i", path, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
        Assert.True(exitCode == 0, $"ffmpeg could not decode {path}: {error}");
        return output;
    }
}
