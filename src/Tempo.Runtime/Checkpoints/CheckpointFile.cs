using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Tempo.Nn.Modules;
using Tempo.Nn.Serialization;

namespace Tempo.Runtime.Checkpoints;

/// <summary>Reads and writes training checkpoints: one self-describing, checksummed, atomically replaced file.</summary>
/// <remarks>
/// Layout (little-endian; docs/formats/checkpoint.md): 8 magic bytes <c>TEMPOCKP</c>; uint32 format version (2);
/// uint32 metadata length; the metadata as UTF-8 JSON (<see cref="TrainingCheckpoint"/>); uint32 CRC-32C of the
/// metadata; then the parameters as one blob of the parameter format of <see cref="ParameterSerializer"/> (with its own
/// checksums), then one blob per optimizer state, named in the metadata's <see cref="TrainingCheckpoint.Optimizers"/>;
/// then the end of the file. Version 1 files (one optimizer state inside the parameters' blob) are read too. A file that
/// fails any check is rejected with a message naming the problem, and nothing is loaded unless every check passed.
/// </remarks>
public static class CheckpointFile
{
    /// <summary>The checkpoint's file name inside a run folder.</summary>
    public const string FileName = "checkpoint.tempo";

    /// <summary>The format version this build writes.</summary>
    public const uint FormatVersion = 2;

    /// <summary>The first format version: one optimizer state, unnamed, in the same blob as the parameters.</summary>
    private const uint SingleOptimizerVersion = 1;

    private const int MaxMetadataLength = 64 << 20;
    private static readonly byte[] _magic = "TEMPOCKP"u8.ToArray();

    /// <summary>Writes a checkpoint to <paramref name="path"/> atomically: a temporary file in the same folder, flushed, then renamed.</summary>
    /// <param name="path">Where to write.</param>
    /// <param name="checkpoint">The metadata; its <see cref="TrainingCheckpoint.Optimizers"/> is replaced by the names of <paramref name="optimizers"/>.</param>
    /// <param name="parameters">Everything learned, under unique names.</param>
    /// <param name="optimizers">Every optimizer state, under unique names, each over some of <paramref name="parameters"/>.</param>
    public static void Save(string path, TrainingCheckpoint checkpoint, IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedOptimizerState> optimizers)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(optimizers);
        var names = new string[optimizers.Count];
        for (var k = 0; k < names.Length; k++)
        {
            names[k] = optimizers[k]?.Name ?? throw new ArgumentException($"Optimizer {k} is null.", nameof(optimizers));
            ArgumentException.ThrowIfNullOrWhiteSpace(names[k], nameof(optimizers));
            if (Array.IndexOf(names, names[k], 0, k) >= 0)
            {
                throw new ArgumentException($"Two optimizers are named '{names[k]}'; checkpoints tell optimizer states apart by name.", nameof(optimizers));
            }
        }

        checkpoint = checkpoint with { Optimizers = names };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, stream => Write(stream, checkpoint, parameters, optimizers));
    }

    /// <summary>Reads only the metadata (to learn the run's configuration before building its model).</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, of another version, truncated or corrupt.</exception>
    public static TrainingCheckpoint ReadMetadata(string path)
    {
        using var file = OpenForRead(path);
        return ReadMetadata(file, path, out _);
    }

    /// <summary>Reads the checkpoint and loads its weights into <paramref name="parameters"/>; optimizer states are verified but not loaded (evaluation).</summary>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, of another version, or made for a different model.</exception>
    public static TrainingCheckpoint Load(string path, IReadOnlyList<NamedParameter> parameters) => Load(path, parameters, optimizers: null);

    /// <summary>Reads the checkpoint and loads its weights and every optimizer state (matched by name) into the given ones; nothing changes unless all of it is valid.</summary>
    /// <remarks>A version-1 file holds one unnamed optimizer state; it loads into a single optimizer, whatever its name.</remarks>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, of another version, made for a different model, or holds other optimizers than <paramref name="optimizers"/>.</exception>
    public static TrainingCheckpoint Load(string path, IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedOptimizerState>? optimizers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var file = OpenForRead(path);
        var checkpoint = ReadMetadata(file, path, out var version);

        // Everything is read into copies first, so a failure in a later blob leaves the live objects as they were.
        var (scratchParameters, scratchOptimizers) = CheckpointImage.Copy(parameters, optimizers ?? []);
        try
        {
            if (version == SingleOptimizerVersion)
            {
                if (optimizers is not null && optimizers.Count != 1)
                {
                    throw new InvalidDataException(
                        $"it is a format-version-1 file with one optimizer state, but {optimizers.Count} optimizer states ({string.Join(", ", optimizers.Select(o => $"'{o.Name}'"))}) were asked for.");
                }

                ParameterSerializer.Read(file, scratchParameters, optimizers is null ? null : scratchOptimizers[0].State);
            }
            else
            {
                ParameterSerializer.Read(file, scratchParameters);
                ReadOptimizerStates(file, checkpoint.Optimizers, optimizers is null ? null : scratchOptimizers);
            }
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"Checkpoint {path}: {error.Message}", error);
        }

        if (file.Position != file.Length)
        {
            throw new InvalidDataException($"Checkpoint {path} has {file.Length - file.Position} unexpected bytes after its weights and optimizer states.");
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            scratchParameters[i].Parameter.Value.Span.CopyTo(parameters[i].Parameter.Value.Span);
        }

        for (var k = 0; k < scratchOptimizers.Length; k++)
        {
            var (source, target) = (scratchOptimizers[k].State, optimizers![k].State);
            for (var b = 0; b < source.Buffers.Count; b++)
            {
                source.Buffers[b].Tensor.Span.CopyTo(target.Buffers[b].Tensor.Span);
            }

            target.StepCount = source.StepCount;
        }

        return checkpoint;
    }

    /// <summary>Reads the optimizer blobs named <paramref name="inFile"/> into the states of the same names; with null states, only verifies them.</summary>
    private static void ReadOptimizerStates(Stream stream, IReadOnlyList<string> inFile, NamedOptimizerState[]? states)
    {
        if (states is not null)
        {
            var wanted = states.Select(s => s.Name).ToArray();
            var missing = wanted.Except(inFile, StringComparer.Ordinal).ToArray();
            var unexpected = inFile.Except(wanted, StringComparer.Ordinal).ToArray();
            if (missing.Length > 0 || unexpected.Length > 0 || inFile.Count != wanted.Length)
            {
                throw new InvalidDataException(
                    $"it holds the optimizer states [{string.Join(", ", inFile)}], but the learner has [{string.Join(", ", wanted)}] (missing from the file: [{string.Join(", ", missing)}]; not in the learner: [{string.Join(", ", unexpected)}]).");
            }
        }

        foreach (var name in inFile)
        {
            try
            {
                ParameterSerializer.Read(stream, Array.Empty<NamedParameter>(), states?.First(s => s.Name == name).State);
            }
            catch (InvalidDataException error)
            {
                throw new InvalidDataException($"optimizer state '{name}': {error.Message}", error);
            }
        }
    }

    /// <summary>Serializes a checkpoint into <paramref name="stream"/> without touching the disk (a run compiles the serializer this way before its worlds start).</summary>
    internal static void WriteTo(Stream stream, CheckpointImage image) =>
        Write(stream, image.Checkpoint with { Optimizers = [.. image.Optimizers.Select(o => o.Name)] }, image.Parameters, image.Optimizers);

    private static void Write(Stream stream, TrainingCheckpoint checkpoint, IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedOptimizerState> optimizers)
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
        ParameterSerializer.Write(stream, parameters);
        foreach (var optimizer in optimizers)
        {
            ParameterSerializer.Write(stream, Array.Empty<NamedParameter>(), optimizer.State);
        }
    }

    private static FileStream OpenForRead(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No checkpoint at {path}.", path);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    private static TrainingCheckpoint ReadMetadata(Stream stream, string path, out uint version)
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

        version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version is not (SingleOptimizerVersion or FormatVersion))
        {
            throw new InvalidDataException($"Checkpoint {path} has format version {version}; this build reads versions {SingleOptimizerVersion} and {FormatVersion}.");
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
