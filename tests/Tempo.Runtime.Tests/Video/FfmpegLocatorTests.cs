using Tempo.Runtime.Video;

namespace Tempo.Runtime.Tests.Video;

public sealed class FfmpegLocatorTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tempo-video-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string MakeDirectory(string name) => Directory.CreateDirectory(Path.Combine(_directory.FullName, name)).FullName;

    private static string PlaceFfmpeg(string directory, bool executable)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("These tests place Unix executables.");
        }

        var path = Path.Combine(directory, "ffmpeg");
        File.WriteAllText(path, "#!/bin/sh\n");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.SetUnixFileMode(path, executable ? mode | UnixFileMode.UserExecute : mode);
        return path;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Find_NoSearchPath_ReturnsNull(string? searchPath)
    {
        Assert.Null(FfmpegLocator.Find(searchPath));
    }

    [Fact]
    public void Find_DirectoriesWithoutFfmpeg_ReturnsNull()
    {
        var searchPath = string.Join(Path.PathSeparator, MakeDirectory("empty"), Path.Combine(_directory.FullName, "missing"));

        Assert.Null(FfmpegLocator.Find(searchPath));
    }

    [Fact]
    public void Find_FirstDirectoryHoldingAnExecutableFfmpeg_Wins()
    {
        var notExecutable = MakeDirectory("not-executable");
        PlaceFfmpeg(notExecutable, executable: false);
        var first = MakeDirectory("first");
        var expected = PlaceFfmpeg(first, executable: true);
        var second = MakeDirectory("second");
        PlaceFfmpeg(second, executable: true);
        var searchPath = string.Join(Path.PathSeparator, MakeDirectory("empty"), notExecutable, first, second);

        Assert.Equal(expected, FfmpegLocator.Find(searchPath));
    }
}
