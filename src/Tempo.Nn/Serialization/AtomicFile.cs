namespace Tempo.Nn.Serialization;

/// <summary>Writes a file so that readers see the old content or the whole new content, never a part: a temporary file in the same folder, flushed to disk, then renamed over the target.</summary>
/// <remarks>The one home of atomic writing for parameter files and checkpoints; a run killed while saving leaves the previous file intact.</remarks>
public static class AtomicFile
{
    private const int BufferBytes = 1 << 16;

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically; the folder must exist.</summary>
    /// <param name="path">The file to replace or create.</param>
    /// <param name="write">Writes the whole content into the stream it is given.</param>
    /// <exception cref="ArgumentException">The path has no parent folder.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no parent folder.", nameof(path));
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            DeleteIfPossible(temporary);
            throw;
        }
    }

    private static void DeleteIfPossible(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
