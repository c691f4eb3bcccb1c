using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Nn.Serialization;

namespace Tempo.Runtime.Checkpoints;

/// <summary>Reads and writes training checkpoints: one self-describing, checksummed, atomically replaced file.</summary>
/// <remarks>
/// Layout (little-endian): 8 magic bytes <c>TEMPOCKP</c>; uint32 format version (1); uint32 metadata length;
/// the metadata as UTF-8 JSON (<see cref="TrainingCheckpoint"/>); uint32 CRC-32C of the metadata; then the
/// weights and optimizer state in the parameter format of <see cref="ParameterSerializer"/> (with its own
/// checksums); then the end of the file. A file that fails any check is rejected with a message naming the
/// problem, and nothing is loaded into the model unless every check passed.
/// </remarks>
public static class CheckpointFile
{
    /// <summary>The checkpoint's file name inside a run folder.</summary>
    public const string FileName = "checkpoint.tempo";

    /// <summary>The current format version.</summary>
    public const uint FormatVersion = 1;

    private const int MaxMetadataLength = 64 << 20;
    private static readonly byte[] _magic = "TEMPOCKP"u8.ToArray();

    /// <summary>Writes a checkpoint to <paramref name="path"/> atomically: a temporary file in the same folder, flushed, then renamed.</summary>
    public static void Save(string path, TrainingCheckpoint checkpoint, IReadOnlyList<NamedParameter> parameters, OptimizerState optimizerState)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(file, checkpoint, parameters, optimizerState);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Reads only the metadata (to learn the run's configuration before building its model).</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, of another version, truncated or corrupt.</exception>
    public static TrainingCheckpoint ReadMetadata(string path)
    {
        using var file = OpenForRead(path);
        return ReadMetadata(file, path);
    }

    /// <summary>Reads the checkpoint and loads its weights and optimizer state into the given ones.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, of another version, or made for a different model.</exception>
    public static TrainingCheckpoint Load(string path, IReadOnlyList<NamedParameter> parameters, OptimizerState? optimizerState)
    {
        using var file = OpenForRead(path);
        var checkpoint = ReadMetadata(file, path);
        try
        {
            ParameterSerializer.Read(file, parameters, optimizerState);
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"Checkpoint {path}: {error.Message}", error);
        }

        if (file.Position != file.Length)
        {
            throw new InvalidDataException($"Checkpoint {path} has {file.Length - file.Position} unexpected bytes after its weights.");
        }

        return checkpoint;
    }

    private static void Write(Stream stream, TrainingCheckpoint checkpoint, IReadOnlyList<NamedParameter> parameters, OptimizerState optimizerState)
    {
        var metadata = JsonSerializer.SerializeToUtf8Bytes(checkpoint, CheckpointJsonContext.Default.TrainingCheckpoint);
        Span<byte> header = stackalloc byte[16];
        _magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)metadata.Length);
        stream.Write(header);
        stream.Write(metadata);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32C.Compute(metadata));
        stream.Write(crc);
        ParameterSerializer.Write(stream, parameters, optimizerState);
    }

    private static FileStream OpenForRead(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No checkpoint at {path}.", path);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    private static TrainingCheckpoint ReadMetadata(Stream stream, string path)
    {
        Span<byte> header = stackalloc byte[16];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            throw new InvalidDataException($"Checkpoint {path} is truncated: it ends inside the {header.Length}-byte header.");
        }

        if (!header[..8].SequenceEqual(_magic))
        {
            throw new InvalidDataException($"{path} is not a Tempo checkpoint (its first bytes are not 'TEMPOCKP').");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Checkpoint {path} has format version {version}; this build reads version {FormatVersion}.");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (length > MaxMetadataLength || length > stream.Length - stream.Position - 4)
        {
            throw new InvalidDataException($"Checkpoint {path} is truncated or corrupt: its metadata claims {length} bytes.");
        }

        var metadata = new byte[length];
        stream.ReadExactly(metadata);
        Span<byte> crc = stackalloc byte[4];
        stream.ReadExactly(crc);
        if (BinaryPrimitives.ReadUInt32LittleEndian(crc) != Crc32C.Compute(metadata))
        {
            throw new InvalidDataException($"Checkpoint {path} is corrupt: its metadata checksum does not match.");
        }

        try
        {
            return JsonSerializer.Deserialize(metadata, CheckpointJsonContext.Default.TrainingCheckpoint)
                ?? throw new InvalidDataException($"Checkpoint {path} has empty metadata.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"Checkpoint {path} has unreadable metadata ({Encoding.UTF8.GetString(metadata.AsSpan(0, Math.Min(metadata.Length, 64)))}…): {error.Message}", error);
        }
    }
}
