using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Serialization;

/// <summary>Saves and loads named parameters, and optionally an optimizer's state, in Tempo's versioned, checksummed binary format.</summary>
/// <remarks>
/// The format is specified in docs/formats/parameters.md. Loading matches tensors by name, checks every shape
/// and both checksums while reading into scratch memory, and only then copies into the live tensors, so a
/// failed load (corrupt, truncated, foreign or mismatched data) throws <see cref="InvalidDataException"/> and
/// leaves the parameters and optimizer state exactly as they were.
/// </remarks>
public static class ParameterSerializer
{
    private const int CopyChunkBytes = 1 << 16;

    /// <summary>Writes the file atomically: into a temporary file in the same folder, flushed to disk, then renamed over <paramref name="path"/>.</summary>
    public static void Save(string path, IReadOnlyList<Parameter> parameters, OptimizerState? optimizerState = null) =>
        Save(path, OptimizerState.Named(parameters), optimizerState);

    /// <summary>Saves named parameters (a module's dotted paths) and optionally the optimizer state, atomically.</summary>
    public static void Save(string path, IReadOnlyList<NamedParameter> parameters, OptimizerState? optimizerState = null) =>
        AtomicFile.Write(path, stream => Write(stream, parameters, optimizerState));

    /// <summary>Loads the file at <paramref name="path"/> into <paramref name="parameters"/> (and <paramref name="optimizerState"/> when given).</summary>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, of another version, has trailing bytes, or does not match the parameters.</exception>
    public static void Load(string path, IReadOnlyList<Parameter> parameters, OptimizerState? optimizerState = null) =>
        Load(path, OptimizerState.Named(parameters), optimizerState);

    /// <summary>Loads the file into named parameters (and the optimizer state when given); nothing changes unless all of it is valid.</summary>
    public static void Load(string path, IReadOnlyList<NamedParameter> parameters, OptimizerState? optimizerState = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyChunkBytes);
        Read(file, parameters, optimizerState, $"Parameter file '{path}'", requireEndOfStream: true);
    }

    /// <summary>Writes the parameters (and the optimizer state when given) to <paramref name="stream"/> from its current position.</summary>
    public static void Write(Stream stream, IReadOnlyList<Parameter> parameters, OptimizerState? optimizerState = null) =>
        Write(stream, OptimizerState.Named(parameters), optimizerState);

    /// <summary>Writes named parameters (and the optimizer state when given) to <paramref name="stream"/> from its current position.</summary>
    public static void Write(Stream stream, IReadOnlyList<NamedParameter> parameters, OptimizerState? optimizerState = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var parameterTargets = ParameterTargets(parameters);
        var bufferTargets = BufferTargets(optimizerState);
        var header = new ParameterFileHeader(
            Describe(parameterTargets, "parameter", nameof(parameters)),
            optimizerState?.Algorithm ?? string.Empty,
            optimizerState?.StepCount ?? 0,
            Describe(bufferTargets, "optimizer buffer", nameof(optimizerState)));
        if (header.HasOptimizerState && Encoding.UTF8.GetByteCount(header.OptimizerAlgorithm) > ParameterFileFormat.MaxNameBytes)
        {
            throw new ArgumentException($"The optimizer name is longer than {ParameterFileFormat.MaxNameBytes} UTF-8 bytes.", nameof(optimizerState));
        }

        var block = header.Encode();
        if (block.Length > ParameterFileFormat.MaxHeaderLength)
        {
            throw new ArgumentException($"The header would take {block.Length} bytes; the format allows {ParameterFileFormat.MaxHeaderLength}.", nameof(parameters));
        }

        Span<byte> preamble = stackalloc byte[ParameterFileFormat.PreambleLength];
        ParameterFileFormat.Magic.CopyTo(preamble);
        BinaryPrimitives.WriteUInt32LittleEndian(preamble[8..], ParameterFileFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(preamble[12..], (uint)block.Length);
        var headerCrc = Crc32C.Append(Crc32C.Append(0, preamble), block);
        stream.Write(preamble);
        stream.Write(block);
        WriteUInt32(stream, headerCrc);

        uint payloadCrc = 0;
        foreach (var (_, tensor) in parameterTargets)
        {
            payloadCrc = WriteFloats(stream, tensor.Span, payloadCrc);
        }

        foreach (var (_, tensor) in bufferTargets)
        {
            payloadCrc = WriteFloats(stream, tensor.Span, payloadCrc);
        }

        WriteUInt32(stream, payloadCrc);
    }

    /// <summary>
    /// Reads one parameter blob from <paramref name="stream"/> into <paramref name="parameters"/> (and
    /// <paramref name="optimizerState"/> when given), leaving the stream just after the blob so that a container format can embed it.
    /// </summary>
    /// <remarks>Optimizer state in the data is verified but ignored when <paramref name="optimizerState"/> is null (loading weights for inference).</remarks>
    /// <exception cref="InvalidDataException">The data is corrupt, truncated, of another version, or does not match the parameters.</exception>
    public static void Read(Stream stream, IReadOnlyList<Parameter> parameters, OptimizerState? optimizerState = null) =>
        Read(stream, OptimizerState.Named(parameters), optimizerState);

    /// <summary>Reads one blob into named parameters (and the optimizer state when given); nothing changes unless all of it is valid.</summary>
    public static void Read(Stream stream, IReadOnlyList<NamedParameter> parameters, OptimizerState? optimizerState = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Read(stream, parameters, optimizerState, "Parameter data", requireEndOfStream: false);
    }

    private static void Read(Stream stream, IReadOnlyList<NamedParameter> parameters, OptimizerState? optimizerState, string source, bool requireEndOfStream)
    {
        var parameterTargets = ParameterTargets(parameters);
        var bufferTargets = BufferTargets(optimizerState);
        var reader = new PayloadReader(stream, source);

        var header = ReadHeader(ref reader);
        if (optimizerState is not null)
        {
            if (!header.HasOptimizerState)
            {
                throw new InvalidDataException($"{source} holds no optimizer state, but {optimizerState.Algorithm} state was asked for.");
            }

            if (!string.Equals(header.OptimizerAlgorithm, optimizerState.Algorithm, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{source} holds {header.OptimizerAlgorithm} optimizer state, which cannot be loaded as {optimizerState.Algorithm} optimizer state.");
            }
        }

        // Each file tensor gets the live tensor it will be copied into, or null when it is only verified.
        var destinations = new Tensor?[header.Parameters.Length + header.OptimizerBuffers.Length];
        Match(header.Parameters, parameterTargets, destinations.AsSpan(0, header.Parameters.Length), "parameter", source);
        if (optimizerState is not null)
        {
            Match(header.OptimizerBuffers, bufferTargets, destinations.AsSpan(header.Parameters.Length), "optimizer buffer", source);
        }

        // Scratch first: nothing live changes until the whole payload has been read and verified.
        var scratch = new float[destinations.Length][];
        var descriptors = header.Parameters.Concat(header.OptimizerBuffers).ToArray();
        uint payloadCrc = 0;
        for (var index = 0; index < descriptors.Length; index++)
        {
            var what = $"tensor '{descriptors[index].Name}'";
            if (destinations[index] is null)
            {
                payloadCrc = reader.Skip(descriptors[index].ElementCount * sizeof(float), payloadCrc, what);
            }
            else
            {
                scratch[index] = new float[descriptors[index].ElementCount];
                payloadCrc = reader.ReadFloats(scratch[index], payloadCrc, what);
            }
        }

        var storedPayloadCrc = reader.ReadUInt32("the payload checksum");
        if (storedPayloadCrc != payloadCrc)
        {
            throw new InvalidDataException($"{source}: the payload checksum does not match (stored 0x{storedPayloadCrc:X8}, computed 0x{payloadCrc:X8}); the tensor data is corrupt.");
        }

        if (requireEndOfStream && stream.ReadByte() >= 0)
        {
            throw new InvalidDataException($"{source}: unexpected bytes follow the payload checksum at offset {reader.Position}; the file is corrupt or not a single parameter file.");
        }

        // Commit: plain copies that cannot fail.
        for (var index = 0; index < destinations.Length; index++)
        {
            if (destinations[index] is { } destination)
            {
                scratch[index].CopyTo(destination.Span);
            }
        }

        if (optimizerState is not null)
        {
            optimizerState.StepCount = header.StepCount;
        }
    }

    private static ParameterFileHeader ReadHeader(ref PayloadReader reader)
    {
        var source = reader.Source;
        Span<byte> preamble = stackalloc byte[ParameterFileFormat.PreambleLength];
        reader.ReadExactly(preamble[..8], "the magic bytes");
        if (!preamble[..8].SequenceEqual(ParameterFileFormat.Magic))
        {
            throw new InvalidDataException($"{source} is not a Tempo parameter file: the magic bytes are {Convert.ToHexString(preamble[..8])}, expected {Convert.ToHexString(ParameterFileFormat.Magic)}.");
        }

        reader.ReadExactly(preamble[8..], "the format version and header length");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        if (version != ParameterFileFormat.Version)
        {
            var relation = version > ParameterFileFormat.Version ? "newer than this build supports" : "not a valid version";
            throw new InvalidDataException($"{source} has format version {version}, which is {relation} (this build reads version {ParameterFileFormat.Version}).");
        }

        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(preamble[12..]);
        if (headerLength > ParameterFileFormat.MaxHeaderLength)
        {
            throw new InvalidDataException($"{source}: the header length {headerLength} exceeds the limit of {ParameterFileFormat.MaxHeaderLength} bytes; the file is corrupt.");
        }

        var block = new byte[headerLength];
        reader.ReadExactly(block, "the header");
        var storedHeaderCrc = reader.ReadUInt32("the header checksum");
        var headerCrc = Crc32C.Append(Crc32C.Append(0, preamble), block);
        if (storedHeaderCrc != headerCrc)
        {
            throw new InvalidDataException($"{source}: the header checksum does not match (stored 0x{storedHeaderCrc:X8}, computed 0x{headerCrc:X8}); the header is corrupt.");
        }

        return ParameterFileHeader.Decode(block, source);
    }

    private static void Match(TensorDescriptor[] inFile, (string Name, Tensor Tensor)[] targets, Span<Tensor?> destinations, string kind, string source)
    {
        var byName = new Dictionary<string, int>(targets.Length, StringComparer.Ordinal);
        for (var index = 0; index < targets.Length; index++)
        {
            byName.Add(targets[index].Name, index);
        }

        var found = new bool[targets.Length];
        var unexpected = new List<string>();
        for (var index = 0; index < inFile.Length; index++)
        {
            var descriptor = inFile[index];
            if (!byName.TryGetValue(descriptor.Name, out var target))
            {
                unexpected.Add(descriptor.Name);
                continue;
            }

            var tensor = targets[target].Tensor;
            if (!tensor.Shape.SequenceEqual(descriptor.Shape))
            {
                throw new InvalidDataException(
                    $"{source}: {kind} '{descriptor.Name}' has shape {TensorDescriptor.Format(descriptor.Shape)} in the file but {TensorDescriptor.Format(tensor.Shape)} in the model.");
            }

            found[target] = true;
            destinations[index] = tensor;
        }

        var missing = targets.Where((_, index) => !found[index]).Select(target => target.Name).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new InvalidDataException(
                $"{source}: the {kind} names do not match the model: missing from the file: {List(missing)}; in the file but not in the model: {List(unexpected)}.");
        }
    }

    private static string List(List<string> names)
    {
        const int Shown = 10;
        if (names.Count == 0)
        {
            return "none";
        }

        var quoted = string.Join(", ", names.Take(Shown).Select(name => $"'{name}'"));
        return names.Count > Shown ? $"{quoted} and {names.Count - Shown} more" : quoted;
    }

    private static (string Name, Tensor Tensor)[] ParameterTargets(IReadOnlyList<NamedParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var targets = new (string, Tensor)[parameters.Count];
        for (var index = 0; index < targets.Length; index++)
        {
            var (name, parameter) = parameters[index];
            if (parameter is null)
            {
                throw new ArgumentException($"Parameter {index} is null.", nameof(parameters));
            }

            targets[index] = (name, parameter.Value);
        }

        RequireDistinctNames(targets, nameof(parameters));
        return targets;
    }

    private static (string Name, Tensor Tensor)[] BufferTargets(OptimizerState? state)
    {
        if (state is null)
        {
            return [];
        }

        var targets = state.Buffers.Select(buffer => (buffer.Name, buffer.Tensor)).ToArray();
        RequireDistinctNames(targets, nameof(state));
        return targets;
    }

    private static void RequireDistinctNames((string Name, Tensor Tensor)[] targets, string argumentName)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in targets)
        {
            if (!names.Add(name))
            {
                throw new ArgumentException($"Two tensors are named '{name}'; names identify tensors in the file, so they must be distinct.", argumentName);
            }
        }
    }

    private static TensorDescriptor[] Describe((string Name, Tensor Tensor)[] targets, string kind, string argumentName)
    {
        var descriptors = new TensorDescriptor[targets.Length];
        for (var index = 0; index < targets.Length; index++)
        {
            var (name, tensor) = targets[index];
            if (Encoding.UTF8.GetByteCount(name) > ParameterFileFormat.MaxNameBytes)
            {
                throw new ArgumentException($"The {kind} name '{name[..Math.Min(name.Length, 32)]}…' is longer than {ParameterFileFormat.MaxNameBytes} UTF-8 bytes.", argumentName);
            }

            if (tensor.Rank > ParameterFileFormat.MaxRank)
            {
                throw new ArgumentException($"The {kind} '{name}' has rank {tensor.Rank}; the format allows at most {ParameterFileFormat.MaxRank}.", argumentName);
            }

            descriptors[index] = new TensorDescriptor(name, [.. tensor.Shape]);
        }

        return descriptors;
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }

    private static uint WriteFloats(Stream stream, ReadOnlySpan<float> values, uint crc)
    {
        if (BitConverter.IsLittleEndian)
        {
            var bytes = MemoryMarshal.AsBytes(values);
            stream.Write(bytes);
            return Crc32C.Append(crc, bytes);
        }

        var chunk = ArrayPool<byte>.Shared.Rent(CopyChunkBytes);
        try
        {
            while (!values.IsEmpty)
            {
                var count = Math.Min(values.Length, CopyChunkBytes / sizeof(float));
                for (var i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(i * sizeof(float)), values[i]);
                }

                var bytes = chunk.AsSpan(0, count * sizeof(float));
                stream.Write(bytes);
                crc = Crc32C.Append(crc, bytes);
                values = values[count..];
            }

            return crc;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Reads exact byte counts from the stream, reporting a short read as truncation with its offset.</summary>
    private struct PayloadReader(Stream stream, string source)
    {
        public readonly string Source => source;

        public long Position { get; private set; }

        public void ReadExactly(Span<byte> destination, string what)
        {
            var total = 0;
            while (total < destination.Length)
            {
                var read = stream.Read(destination[total..]);
                if (read == 0)
                {
                    throw new InvalidDataException(
                        $"{source} is truncated: it ends at offset {Position + total}, {destination.Length - total} bytes short of the end of {what}.");
                }

                total += read;
            }

            Position += total;
        }

        public uint ReadUInt32(string what)
        {
            Span<byte> bytes = stackalloc byte[4];
            ReadExactly(bytes, what);
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        }

        public uint ReadFloats(float[] destination, uint crc, string what)
        {
            var bytes = MemoryMarshal.AsBytes(destination.AsSpan());
            ReadExactly(bytes, what);
            crc = Crc32C.Append(crc, bytes);
            if (!BitConverter.IsLittleEndian)
            {
                var words = MemoryMarshal.Cast<float, int>(destination.AsSpan());
                BinaryPrimitives.ReverseEndianness(words, words);
            }

            return crc;
        }

        public uint Skip(long byteCount, uint crc, string what)
        {
            var chunk = ArrayPool<byte>.Shared.Rent(CopyChunkBytes);
            try
            {
                while (byteCount > 0)
                {
                    var bytes = chunk.AsSpan(0, (int)Math.Min(byteCount, CopyChunkBytes));
                    ReadExactly(bytes, what);
                    crc = Crc32C.Append(crc, bytes);
                    byteCount -= bytes.Length;
                }

                return crc;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }
}
